import "server-only";
import { config } from "@/server/config";
import { haproxySnapshot } from "@/server/live/haproxySampler";
import { runningOperationOf } from "@/server/operations/operationLog";
import { activeContainersOf, type ReleaseRow } from "@/server/releases/releaseRows";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";
import { ownedServers, recordedCandidateShare, routedContainers } from "./applyServiceRouting";
import { desiredMainBackend } from "./desiredRouting";
import { actualFromStats, routingDifferences } from "./routingDifferences";
import { routingPendingOf } from "./routingPending";
import { trafficShares, type TrafficShare } from "./trafficShare";

export type RoutingPendingView = { since: number; reason: string; differences: string[] };

const globalForTruth = globalThis as unknown as { switchyardDifferingSince?: Map<string, number> };
const differingSince = (globalForTruth.switchyardDifferingSince ??= new Map());

/**
 * For the service page, from the sampler's last `show stat` (no HAProxy call):
 * the share of traffic each release gets, and "routing pending" when HAProxy
 * differs from what SQLite records for longer than one reconcile interval
 * (since reconcile or a switch first failed to apply it, or since this read
 * first saw the difference; never while an operation runs). `unreachable`:
 * host id → why, as the page saw it.
 */
export function routingTruth(
  serviceId: number,
  serviceName: string,
  spec: ServiceSpec,
  unreachable: ReadonlyMap<number, string>,
  sides: (ReleaseRow | undefined)[],
  now = Date.now(),
): { traffic: Map<number, TrafficShare>; pending: RoutingPendingView | null } | null {
  const rows = spec.haproxy ? haproxySnapshot().sample?.backends.get(spec.haproxy.backend) : undefined;
  if (!rows) return null;
  const shown = sides.filter((r): r is ReleaseRow => Boolean(r));
  const serversOf: Record<string, string[]> = {};
  for (const r of shown) serversOf[String(r.id)] = [];
  for (const { container } of activeContainersOf(shown.map((r) => r.id)))
    serversOf[String(container.releaseId)]?.push(container.serverName);
  const shares = trafficShares(rows, serversOf);
  const traffic = new Map(shown.map((r) => [r.id, shares[String(r.id)]!]));

  const servers = rows.filter((r) => r.server !== "BACKEND").map(actualFromStats);
  const differences = routingDifferences(
    desiredMainBackend(routedContainers(serviceId, unreachable), recordedCandidateShare(serviceId)),
    servers,
    ownedServers(serviceId),
  );
  // While an operation runs, HAProxy trails the record by design (its steps are on the page): nothing is pending yet.
  if (!differences.length || runningOperationOf(serviceId)) differingSince.delete(serviceName);
  else if (!differingSince.has(serviceName)) differingSince.set(serviceName, now);
  const failed = routingPendingOf(serviceName);
  const since = Math.min(failed?.since ?? now, differingSince.get(serviceName) ?? now);
  const pending =
    differences.length && differingSince.has(serviceName) && now - since >= config().SWITCHYARD_RECONCILE_INTERVAL_S * 1000
      ? { since, reason: failed?.reason ?? differences.join("; "), differences }
      : null;
  return { traffic, pending };
}
