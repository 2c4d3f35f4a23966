import "server-only";
import { backendServers } from "@/server/haproxy/serverState";
import { haproxySnapshot } from "@/server/live/haproxySampler";
import { haproxySocket, withCurrentRouting } from "@/server/routing/applyServiceRouting";
import { effectiveCandidatePercent } from "@/server/routing/shareWeights";
import { serviceRowById, specOf } from "@/server/services/serviceRows";
import { activeContainersOf, releaseWithStatus } from "./releaseRows";
import type { LiveShares, LeftOutServer, ShiftServer } from "./shiftView";

/**
 * The traffic split HAProxy holds now in the service's main backend: the
 * weight of each live and candidate server, the candidate's share among the
 * servers that serve, and who gets no share and why. Null without a
 * candidate or without routing.
 */
type ServerNow = { weight: number; adminState: string; operational: string };
type ReadServers = (backend: string) => Promise<Map<string, ServerNow>>;

/** Asks HAProxy now (after a shift: the answer must include what was just applied). */
const askHaproxy: ReadServers = async (backend) => new Map((await backendServers(haproxySocket(), backend)).map((s) => [s.name, s]));

/**
 * From the server's HAProxy sampler (`show stat` every 2 s): what a page
 * reads, never a call to HAProxy per request. `status` carries both states:
 * MAINT (admin), DRAIN (admin, still up), UP/DOWN (operational).
 */
export const fromSampler: ReadServers = async (backend) => {
  const sample = haproxySnapshot().sample;
  if (!sample) throw new Error("no HAProxy sample yet");
  return new Map(
    (sample.backends.get(backend) ?? [])
      .filter((r) => r.server !== "BACKEND")
      .map((r) => {
        const status = r.status.toUpperCase();
        const adminState = status.startsWith("MAINT") ? "maint" : status.startsWith("DRAIN") ? "drain" : "ready";
        const operational =
          status.startsWith("UP") || status.startsWith("DRAIN") || status.startsWith("NOLB") || status === "NO CHECK" ? "up" : "down";
        return [r.server, { weight: r.weight, adminState, operational }];
      }),
  );
};

export async function currentShares(serviceId: number, readServers: ReadServers = askHaproxy): Promise<LiveShares | null> {
  const candidate = releaseWithStatus(serviceId, "candidate");
  const service = serviceRowById(serviceId);
  if (!candidate || !service) return null;
  const spec = withCurrentRouting(serviceId, specOf(service));
  if (!spec.haproxy) return null;
  const backend = spec.haproxy.backend;
  const live = releaseWithStatus(serviceId, "live");
  const sideOf = new Map<number, ShiftServer["side"]>([[candidate.id, "candidate"]]);
  if (live) sideOf.set(live.id, "live");
  const actual = await readServers(backend);
  const target = candidate.trafficSharePercent;
  const servers: ShiftServer[] = [];
  const leftOut: LeftOutServer[] = [];
  for (const { container } of activeContainersOf([...sideOf.keys()])) {
    const c = { name: container.serverName, side: sideOf.get(container.releaseId)! };
    const s = actual.get(c.name);
    if (container.quarantinedAt !== null) leftOut.push({ ...c, reason: "quarantined: never routed again" });
    else if (!s) leftOut.push({ ...c, reason: `not in HAProxy backend ${backend}` });
    else {
      const serving = s.adminState === "ready" && s.operational === "up";
      servers.push({ ...c, weight: s.weight, serving });
      if (!serving) leftOut.push({ ...c, reason: `HAProxy reports it ${s.adminState}, ${s.operational}: gets no traffic` });
      else if (s.weight === 0 && ((c.side === "candidate" && target > 0) || (c.side === "live" && target < 100)))
        leftOut.push({
          ...c,
          reason: "weight 0: with these replica counts, integer weights (0..256) give the exact share only with this replica idle",
        });
    }
  }
  const weightsOf = (side: ShiftServer["side"]) => servers.filter((s) => s.side === side && s.serving).map((s) => s.weight);
  return {
    candidate: candidate.number,
    live: live?.number ?? null,
    backend,
    targetPercent: target,
    effectivePercent: effectiveCandidatePercent(weightsOf("candidate"), weightsOf("live")),
    servers,
    leftOut,
  };
}
