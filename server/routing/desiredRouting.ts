/** Pure: the HAProxy servers a service should have, from what SQLite recorded. */
import type { DesiredServer } from "@/server/haproxy/planBackend";
import type { ReleaseStatus } from "@/server/releases/constants";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";
import { shareWeights } from "./shareWeights";

export type RoutedContainer = {
  serverName: string;
  address: string;
  port: number;
  releaseStatus: ReleaseStatus;
  /** The host's name (routing outcomes name it). */
  host?: string;
  /** Set when the container's engine does not answer: why (e.g. "connection refused"). */
  hostUnreachable?: string;
};

export const LIVE_WEIGHT = 100;

/**
 * The live servers left out of traffic, and why: a server on an unreachable
 * host counts as down (README "Switching with a host down") and is held at
 * weight 0 until its host answers again, unless no live server is on a
 * reachable host (then HAProxy's own checks are all there is: nothing held).
 */
function heldBackLive(containers: RoutedContainer[]): Map<string, string> {
  const live = containers.filter((c) => c.releaseStatus === "live");
  if (!live.some((c) => !c.hostUnreachable)) return new Map();
  return new Map(live.filter((c) => c.hostUnreachable).map((c) => [c.serverName, `${c.host ?? "host"} unreachable: ${c.hostUnreachable}`]));
}

type PlacedServer = { server: string; host: string };
export type LiveRouting = { weighted: PlacedServer[]; leftOut: (PlacedServer & { reason: string })[] };

/** Pure: which live servers get weight in the main backend and which are left out (and why): what a switch reports. */
export function liveRouting(containers: RoutedContainer[]): LiveRouting {
  const held = heldBackLive(containers);
  const out: LiveRouting = { weighted: [], leftOut: [] };
  for (const c of containers) {
    if (c.releaseStatus !== "live") continue;
    const placed = { server: c.serverName, host: c.host ?? "?" };
    const reason = held.get(c.serverName);
    if (reason) out.leftOut.push({ ...placed, reason });
    else out.weighted.push(placed);
  }
  return out;
}

/**
 * Main backend: live serves (but for servers held back on an unreachable
 * host); the candidate is registered at weight 0 (preview) unless a shift gave
 * it `candidatePercent` % of the traffic, with per-server weights from
 * shareWeights (exact share whatever the replica counts, counted over the live
 * servers that take traffic); standby is drained, ready for rollback. Servers
 * are weighted in name order, so the same record always gives the same weights
 * (reconcile changes nothing).
 */
export function desiredMainBackend(containers: RoutedContainer[], candidatePercent = 0): DesiredServer[] {
  const byName = (x: RoutedContainer, y: RoutedContainer) => (x.serverName < y.serverName ? -1 : x.serverName > y.serverName ? 1 : 0);
  const held = heldBackLive(containers);
  const allLive = containers.filter((c) => c.releaseStatus === "live").sort(byName);
  const live = allLive.filter((c) => !held.has(c.serverName));
  // A candidate on an unreachable host counts as down too: the share goes to its reachable servers only.
  const allCandidates = containers.filter((c) => c.releaseStatus === "candidate").sort(byName);
  const candidate = allCandidates.filter((c) => !c.hostUnreachable);
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
    ...allLive.filter((c) => held.has(c.serverName)).map((c) => server(c, 0, "ready")),
    ...candidate.map((c, i) => server(c, weights.candidate[i]!, "ready")),
    ...allCandidates.filter((c) => c.hostUnreachable).map((c) => server(c, 0, "ready")),
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

/** Pure: one line for an operation step and the release log, e.g. "weight on a-r1-alpha-1 (alpha); left out: a-r1-beta-1 (beta unreachable: …)". */
export function describeLiveRouting(r: LiveRouting): string {
  const weighted = r.weighted.length ? `weight on ${r.weighted.map((s) => `${s.server} (${s.host})`).join(", ")}` : "no live server";
  const leftOut = r.leftOut.map((s) => `${s.server} (${s.reason})`).join(", ");
  return leftOut ? `${weighted}; left out: ${leftOut}` : weighted;
}
