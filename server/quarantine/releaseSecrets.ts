import "server-only";
import { ifFound } from "@/server/errors";
import { releaseByNumber } from "@/server/releases/releaseRows";
import { serviceByName, specOf } from "@/server/services/serviceRows";
import { RESERVED_ENV } from "@/server/services/serviceSpecInput";

/**
 * Which env names (and values) of a release are secret, from its spec. When
 * the spec is gone (service deleted), every env value but Switchyard's own is
 * treated as secret: the bundle never carries a secret in the clear.
 */
export function secretsOfRelease(
  serviceName: string,
  releaseNumber: number,
  env: readonly string[],
): { names: Set<string>; values: string[] } {
  const service = ifFound(() => serviceByName(serviceName));
  const release = service && ifFound(() => releaseByNumber(service.id, releaseNumber));
  if (release) {
    const secret = specOf(release).env.filter((e) => e.secret);
    return { names: new Set(secret.map((e) => e.name)), values: secret.map((e) => e.value) };
  }
  const pairs = env
    .map((e) => [e.slice(0, Math.max(0, e.indexOf("="))), e.slice(e.indexOf("=") + 1)] as const)
    .filter(([n]) => n && !(RESERVED_ENV as readonly string[]).includes(n));
  return { names: new Set(pairs.map(([n]) => n)), values: pairs.map(([, v]) => v) };
}
