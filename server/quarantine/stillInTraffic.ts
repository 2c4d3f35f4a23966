import "server-only";
import { haproxySnapshot } from "@/server/live/haproxySampler";

/**
 * Pure on the sampler's snapshot: the backend in which HAProxy still gives
 * `serverName` weight (not in maintenance), or null. A quarantine whose
 * drain failed leaves its container in traffic until reconcile takes it out.
 */
export function backendStillRouting(serverName: string): string | null {
  const sample = haproxySnapshot().sample;
  if (!sample) return null;
  for (const [backend, rows] of sample.backends) {
    if (rows.some((r) => r.server === serverName && r.weight > 0 && !r.status.toUpperCase().startsWith("MAINT"))) return backend;
  }
  return null;
}
