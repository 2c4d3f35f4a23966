/** Pure: the HAProxy servers a service should have, from what SQLite recorded. */
import type { DesiredServer } from "@/server/haproxy/planBackend";
import type { ReleaseStatus } from "@/server/releases/constants";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";

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

/** Main backend: live serves; the candidate is registered at weight 0 (preview); standby is drained, ready for rollback. */
export function desiredMainBackend(containers: RoutedContainer[]): DesiredServer[] {
  const out: DesiredServer[] = [];
  const held = heldBackLive(containers);
  for (const c of containers) {
    const base = { name: c.serverName, address: c.address, port: c.port };
    if (c.releaseStatus === "live") out.push({ ...base, weight: held.has(c.serverName) ? 0 : LIVE_WEIGHT, state: "ready" });
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

/** Pure: one line for an operation step and the release log, e.g. "weight on a-r1-alpha-1 (alpha); left out: a-r1-beta-1 (beta unreachable: …)". */
export function describeLiveRouting(r: LiveRouting): string {
  const weighted = r.weighted.length ? `weight on ${r.weighted.map((s) => `${s.server} (${s.host})`).join(", ")}` : "no live server";
  const leftOut = r.leftOut.map((s) => `${s.server} (${s.reason})`).join(", ");
  return leftOut ? `${weighted}; left out: ${leftOut}` : weighted;
}
