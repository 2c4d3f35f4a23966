import "server-only";
import { inArray } from "drizzle-orm";
import { db } from "@/db/client";
import { hosts } from "@/db/schema";
import { invalid } from "@/server/errors";
import type { ServiceSpec } from "./serviceSpecInput";

/** Every host named in the placement must be registered. */
export function checkPlacement(spec: ServiceSpec): void {
  const names = spec.placement.map((p) => p.host);
  const known = new Set(db().select({ name: hosts.name }).from(hosts).where(inArray(hosts.name, names)).all().map((h) => h.name));
  const missing = names.filter((n) => !known.has(n));
  if (missing.length) throw invalid(`placement: unknown host${missing.length > 1 ? "s" : ""} ${missing.map((m) => `'${m}'`).join(", ")}`);
}
