/** Pure: the HAProxy servers a service should have, from what SQLite recorded. */
import type { DesiredServer } from "@/server/haproxy/planBackend";
import type { ReleaseStatus } from "@/server/releases/constants";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";

export type RoutedContainer = { serverName: string; address: string; port: number; releaseStatus: ReleaseStatus };

export const LIVE_WEIGHT = 100;

/** Main backend: live serves; the candidate is registered at weight 0 (preview); standby is drained, ready for rollback. */
export function desiredMainBackend(containers: RoutedContainer[]): DesiredServer[] {
  const out: DesiredServer[] = [];
  for (const c of containers) {
    const base = { name: c.serverName, address: c.address, port: c.port };
    if (c.releaseStatus === "live") out.push({ ...base, weight: LIVE_WEIGHT, state: "ready" });
    else if (c.releaseStatus === "candidate") out.push({ ...base, weight: 0, state: "ready" });
    else if (c.releaseStatus === "standby") out.push({ ...base, weight: LIVE_WEIGHT, state: "drain" });
  }
  return out;
}

/** Preview backend: only the candidate, so people can try it before the switch. */
export function desiredPreviewBackend(containers: RoutedContainer[]): DesiredServer[] {
  return containers
    .filter((c) => c.releaseStatus === "candidate")
    .map((c) => ({ name: c.serverName, address: c.address, port: c.port, weight: LIVE_WEIGHT, state: "ready" as const }));
}

/**
 * A release's spec with the service's current `haproxy` (none if the service has none now):
 * routing never uses the backends stored in an older release, which may belong to another service since.
 */
export function withCurrentHaproxy(releaseSpec: ServiceSpec, current: ServiceSpec): ServiceSpec {
  const { haproxy: _stored, ...rest } = releaseSpec;
  return current.haproxy ? { ...rest, haproxy: current.haproxy } : rest;
}
