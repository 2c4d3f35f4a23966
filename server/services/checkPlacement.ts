import "server-only";
import { invalid } from "@/server/errors";
import { listHostRows } from "@/server/hosts/hostRegistry";
import type { ServiceSpec } from "./serviceSpecInput";

/** Every host named in the placement must be registered. */
export function checkPlacement(spec: ServiceSpec): void {
  const names = spec.placement.map((p) => p.host);
  const known = new Set(listHostRows().map((h) => h.name));
  const missing = names.filter((n) => !known.has(n));
  if (missing.length) throw invalid(`placement: unknown host${missing.length > 1 ? "s" : ""} ${missing.map((m) => `'${m}'`).join(", ")}`);
}
