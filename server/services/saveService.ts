import "server-only";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { conflict, errorMessage, invalid, notFound } from "@/server/errors";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { ServiceSpec, type ServiceSpecInput } from "./serviceSpecInput";
import { checkPlacement } from "./checkPlacement";
import { mergeSecrets, publicSpec } from "./publicSpec";
import { assertBackendsFree, assertMayChooseBackends } from "./backendOwnership";
import { insertServiceRow, serviceRowIn, serviceSpecsIn, specOf, updateServiceSpec } from "./serviceRows";

function withSecretsMerged(spec: ServiceSpec, previous: ServiceSpec | null): ServiceSpec {
  try {
    return mergeSecrets(spec, previous);
  } catch (err) {
    throw invalid(errorMessage(err));
  }
}

/** Creates a service (admin: it claims HAProxy backends). The spec applies to the next release; running containers never change. */
export function createService(actor: Actor, raw: ServiceSpecInput) {
  const spec = withSecretsMerged(ServiceSpec.parse(raw), null);
  assertMayChooseBackends(actor, null, spec);
  checkPlacement(spec);
  const now = new Date();
  // Immediate: the ownership check and the insert hold the write lock together, so two creates naming one backend cannot both win.
  db().transaction(
    (tx) => {
      if (serviceRowIn(tx, spec.name)) throw conflict(`A service named '${spec.name}' already exists.`);
      assertBackendsFree(spec, serviceSpecsIn(tx));
      insertServiceRow(tx, { name: spec.name, spec: JSON.stringify(spec), createdAt: now, updatedAt: now });
    },
    { behavior: "immediate" },
  );
  recordEvent({
    ...actorFields(actor),
    action: "service.create",
    outcome: "ok",
    serviceName: spec.name,
    detail: { after: publicSpec(spec) },
  });
  return publicSpec(spec);
}

/** Replaces the spec of an existing service (the name cannot change; its HAProxy backends only by an admin). */
export function updateService(actor: Actor, name: string, raw: ServiceSpecInput) {
  const parsed = ServiceSpec.parse(raw);
  const { previous, spec } = db().transaction(
    (tx) => {
      const row = serviceRowIn(tx, name);
      if (!row) throw notFound(`Service '${name}'`);
      const previous = specOf(row);
      const spec = withSecretsMerged(parsed, previous);
      if (spec.name !== name) throw invalid(`name: a service cannot be renamed ('${name}' → '${spec.name}'); create a new one`);
      assertMayChooseBackends(actor, previous, spec);
      checkPlacement(spec);
      assertBackendsFree(spec, serviceSpecsIn(tx));
      updateServiceSpec(tx, row.id, spec);
      return { previous, spec };
    },
    { behavior: "immediate" },
  );
  recordEvent({
    ...actorFields(actor),
    action: "service.update",
    outcome: "ok",
    serviceName: name,
    detail: { before: publicSpec(previous), after: publicSpec(spec) },
  });
  return publicSpec(spec);
}
