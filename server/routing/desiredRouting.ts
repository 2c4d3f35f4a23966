/** Pure: the HAProxy servers a service should have, from what SQLite recorded. */
import type { DesiredServer } from "@/server/haproxy/planBackend";
import type { ReleaseStatus } from "@/server/releases/constants";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";
import { shareWeights } from "./shareWeights";

export type RoutedContainer = { serverName: string; address: string; port: number; releaseStatus: ReleaseStatus };

export const LIVE_WEIGHT = 100;

/**
 * Main backend: live serves; the candidate is registered at weight 0 (preview)
 * unless a shift gave it `candidatePercent` % of the traffic, with per-server
 * weights from shareWeights (exact share whatever the replica counts);
 * standby is drained, ready for rollback. Servers are weighted in name order,
 * so the same record always gives the same weights (reconcile changes nothing).
 */
export function desiredMainBackend(containers: RoutedContainer[], candidatePercent = 0): DesiredServer[] {
  const byName = (x: RoutedContainer, y: RoutedContainer) => (x.serverName < y.serverName ? -1 : x.serverName > y.serverName ? 1 : 0);
  const live = containers.filter((c) => c.releaseStatus === "live").sort(byName);
  const candidate = containers.filter((c) => c.releaseStatus === "candidate").sort(byName);
  const weights = shareWeights(candidate.length, live.length, candidatePercent);
  const server = (c: RoutedContainer, weight: number, state: DesiredServer["state"]): DesiredServer => ({
    name: c.serverName,
    address: c.address,
    port: c.port,
    weight,
    state,
  });
  return [
    ...live.map((c, i) => server(c, weights.live[i]!, "ready")),
    ...candidate.map((c, i) => server(c, weights.candidate[i]!, "ready")),
    ...containers.filter((c) => c.releaseStatus === "standby").map((c) => server(c, LIVE_WEIGHT, "drain")),
  ];
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
