import "server-only";
import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { releases, services } from "@/db/schema";
import { releaseSpec } from "@/server/releases/releaseRows";
import { RESERVED_ENV } from "@/server/services/serviceSpecInput";

/**
 * Which env names (and values) of a release are secret, from its spec. When
 * the spec is gone (service deleted), every env value but Switchyard's own is
 * treated as secret: the bundle never carries a secret in the clear.
 */
export function secretsOfRelease(serviceName: string, releaseNumber: number, env: readonly string[]): { names: Set<string>; values: string[] } {
  const row = db()
    .select({ release: releases })
    .from(releases)
    .innerJoin(services, eq(services.id, releases.serviceId))
    .where(and(eq(services.name, serviceName), eq(releases.number, releaseNumber)))
    .get();
  if (row) {
    const secret = releaseSpec(row.release).env.filter((e) => e.secret);
    return { names: new Set(secret.map((e) => e.name)), values: secret.map((e) => e.value) };
  }
  const pairs = env.map((e) => [e.slice(0, Math.max(0, e.indexOf("="))), e.slice(e.indexOf("=") + 1)] as const).filter(([n]) => n && !(RESERVED_ENV as readonly string[]).includes(n));
  return { names: new Set(pairs.map(([n]) => n)), values: pairs.map(([, v]) => v) };
}
