import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { services } from "@/db/schema";
import type { Actor } from "@/server/auth/actor";
import { conflict, invalid } from "@/server/errors";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { ServiceSpec, type ServiceSpecInput } from "./serviceSpecInput";
import { checkPlacement } from "./checkPlacement";
import { mergeSecrets, publicSpec } from "./publicSpec";
import { serviceByName, specOf } from "./serviceRows";

function withSecretsMerged(spec: ServiceSpec, previous: ServiceSpec | null): ServiceSpec {
  try {
    return mergeSecrets(spec, previous);
  } catch (err) {
    throw invalid((err as Error).message);
  }
}

/** Creates a service. The spec applies to the next release; running containers never change. */
export function createService(actor: Actor, raw: ServiceSpecInput) {
  const spec = withSecretsMerged(ServiceSpec.parse(raw), null);
  checkPlacement(spec);
  const now = new Date();
  db().transaction((tx) => {
    if (tx.select({ id: services.id }).from(services).where(eq(services.name, spec.name)).get()) {
      throw conflict(`A service named '${spec.name}' already exists.`);
    }
    tx.insert(services).values({ name: spec.name, spec: JSON.stringify(spec), createdAt: now, updatedAt: now }).run();
  });
  recordEvent({ ...actorFields(actor), action: "service.create", outcome: "ok", serviceName: spec.name, detail: { after: publicSpec(spec) } });
  return publicSpec(spec);
}

/** Replaces the spec of an existing service (the name cannot change). */
export function updateService(actor: Actor, name: string, raw: ServiceSpecInput) {
  const row = serviceByName(name);
  const previous = specOf(row);
  const spec = withSecretsMerged(ServiceSpec.parse(raw), previous);
  if (spec.name !== name) throw invalid(`name: a service cannot be renamed ('${name}' → '${spec.name}'); create a new one`);
  checkPlacement(spec);
  db().update(services).set({ spec: JSON.stringify(spec), updatedAt: new Date() }).where(eq(services.id, row.id)).run();
  recordEvent({ ...actorFields(actor), action: "service.update", outcome: "ok", serviceName: name, detail: { before: publicSpec(previous), after: publicSpec(spec) } });
  return publicSpec(spec);
}
