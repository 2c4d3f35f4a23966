import "server-only";
import { z } from "zod";
import YAML from "yaml";
import type { Actor } from "@/server/auth/actor";
import { errorMessage, ifFound, invalid } from "@/server/errors";
import { checkPlacement } from "./checkPlacement";
import { mergeSecrets, publicSpec } from "./publicSpec";
import { createService, updateService } from "./saveService";
import { assertBackendsDistinct, assertBackendsFree, assertMayChooseBackends } from "./backendOwnership";
import { listServiceRows, serviceByName, specOf } from "./serviceRows";
import { ServiceSpec } from "./serviceSpecInput";

export function exportService(name: string, format: "yaml" | "json") {
  const spec = publicSpec(specOf(serviceByName(name)));
  return format === "yaml"
    ? { body: YAML.stringify(spec), contentType: "application/yaml; charset=utf-8" }
    : { body: JSON.stringify(spec, null, 2), contentType: "application/json; charset=utf-8" };
}

export const ImportInput = z.object({ content: z.string().min(1, "content is empty").max(1_000_000) }).strict();

/**
 * Parses YAML (JSON is YAML too), validates every spec first (schema, who may
 * choose backends, backend ownership, placement hosts, kept secrets), then
 * creates or updates them: a refused import writes nothing.
 */
export function importServices(actor: Actor, input: z.infer<typeof ImportInput>) {
  let doc: unknown;
  try {
    doc = YAML.parse(input.content);
  } catch (err) {
    throw invalid(`content: not valid YAML or JSON (${errorMessage(err).split("\n")[0]})`);
  }
  const list = Array.isArray(doc) ? doc : [doc];
  const parsed = list.map((item, i) => {
    const r = ServiceSpec.safeParse(item);
    if (!r.success) throw invalid(`spec ${i + 1}:\n${z.prettifyError(r.error)}`);
    return r.data;
  });
  // Checked for every spec before the first write, so a refused import changes nothing; each write checks again in its transaction.
  assertBackendsDistinct(parsed);
  const existing = new Map(listServiceRows().map((row) => [row.name, specOf(row)]));
  const current = [...existing].map(([name, spec]) => ({ name, spec }));
  for (const spec of parsed) {
    const previous = existing.get(spec.name) ?? null;
    assertMayChooseBackends(actor, previous, spec);
    assertBackendsFree(spec, current);
    // The checks createService/updateService run too: placement on registered hosts, masked secrets that have a stored value.
    checkPlacement(spec);
    try {
      mergeSecrets(spec, previous);
    } catch (err) {
      throw invalid(errorMessage(err));
    }
  }
  const result = { created: [] as string[], updated: [] as string[] };
  for (const spec of parsed) {
    const exists = ifFound(() => serviceByName(spec.name));
    if (exists) {
      updateService(actor, spec.name, spec);
      result.updated.push(spec.name);
    } else {
      createService(actor, spec);
      result.created.push(spec.name);
    }
  }
  return result;
}
