import "server-only";
import { hostRowByName, type HostRow } from "@/server/hosts/hostRegistry";
import { operationWithSteps, recentOperations } from "@/server/operations/operationLog";
import { activeContainersOf, releasesOf, type ReleaseRow } from "@/server/releases/releaseRows";
import { currentShares, fromSampler } from "@/server/releases/currentShares";
import { specChangeSinceLive } from "@/server/releases/specChangeSinceLive";
import { backendLiveStats, type ServerLiveStats } from "@/server/live/haproxyServerStats";
import { routingTruth } from "@/server/routing/routingTruth";
import { publicSpec } from "./publicSpec";
import { serviceByName, specOf } from "./serviceRows";
import { serviceContainersState } from "./serviceContainersState";
import { strategyView } from "./strategyView";

function releaseView(r: ReleaseRow) {
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    imageRef: r.imageRef,
    imageDigest: r.imageDigest,
    imageId: r.imageId,
    createdBy: r.createdBy,
    createdAt: r.createdAt.getTime(),
    liveSince: r.liveSince?.getTime() ?? null,
    standbySince: r.standbySince?.getTime() ?? null,
    retiredAt: r.retiredAt?.getTime() ?? null,
    failureReason: r.failureReason,
    trafficSharePercent: r.trafficSharePercent,
  };
}

/** Everything the service page shows, in one read: sides, containers, live stats, the current operation. */
export async function serviceOverview(name: string) {
  const service = serviceByName(name);
  const spec = specOf(service);
  const all = releasesOf(service.id, 30);
  const sides = {
    live: all.find((r) => r.status === "live"),
    candidate: all.find((r) => r.status === "candidate"),
    standby: all.find((r) => r.status === "standby"),
  };
  const deploying = all.find((r) => r.status === "deploying");
  const shown = [sides.live, sides.candidate, sides.standby, deploying].filter((r): r is ReleaseRow => Boolean(r));
  const containers = activeContainersOf(shown.map((r) => r.id));

  const hostsUsed = new Map<number, HostRow>();
  for (const c of containers) hostsUsed.set(c.host.id, c.host);
  for (const p of spec.placement) {
    try {
      const h = hostRowByName(p.host);
      hostsUsed.set(h.id, h);
    } catch {
      /* a removed host shows up as missing in placement */
    }
  }
  // A service without routing (no haproxy in its spec nor in a shown release's) has no backend to sample: "not routed", not an error.
  const backends = new Set([spec, ...shown.map(specOf)].flatMap((s) => (s.haproxy ? [s.haproxy.backend] : [])));
  // From the engine and HAProxy samplers' snapshots: reading this page calls neither engines nor HAProxy.
  const [shares, engine, stats] = await Promise.all([
    // The candidate's traffic share as HAProxy holds it (null: no candidate, no routing, no sample yet).
    currentShares(service.id, fromSampler).catch(() => null),
    serviceContainersState(service.name, [...hostsUsed.values()]),
    backends.size ? backendLiveStats([...backends]) : null,
  ]);
  const haproxyError = stats && !stats.ok ? stats.error : null;
  const serverStats = stats?.ok ? stats.servers : new Map<string, ServerLiveStats>();

  // What HAProxy gives each side and whether it lags behind the record (from the sampler, never a call per request).
  const truth = routingTruth(service.id, service.name, spec, engine.hostErrors, [sides.live, sides.candidate, sides.standby]);
  const sideView = (r: ReleaseRow | undefined) => {
    if (!r) return null;
    const cs = containers
      .filter((c) => c.container.releaseId === r.id)
      .map(({ container, host }) => {
        const e = container.dockerId ? engine.byId.get(container.dockerId) : undefined;
        return {
          name: container.name,
          host: host.name,
          hostId: host.id,
          dockerId: container.dockerId,
          quarantined: container.quarantinedAt !== null,
          hostReachable: !engine.hostErrors.has(host.id),
          hostError: engine.hostErrors.get(host.id) ?? null,
          port: container.port,
          serverName: container.serverName,
          slot: container.slot,
          state: e?.state ?? (engine.hostErrors.has(host.id) ? "unknown" : "missing"),
          status: e?.status ?? null,
          health: e?.health ?? null,
          /** Set when the host's engine does not answer: the state above is as of lastSeenAt. */
          stale: engine.staleHosts.get(host.id) ?? null,
          haproxy: serverStats.get(container.serverName) ?? null,
        };
      });
    const sum = (f: (s: ServerLiveStats) => number) => cs.reduce((acc, c) => acc + (c.haproxy ? f(c.haproxy) : 0), 0);
    const withRt = cs.filter((c) => c.haproxy && c.haproxy.rtimeMs > 0);
    return {
      release: releaseView(r),
      traffic: truth?.traffic.get(r.id) ?? null,
      containers: cs,
      stats: {
        rps: sum((s) => s.rps),
        errors5xx: sum((s) => s.errors5xx),
        requests: sum((s) => s.reqTotal),
        rtimeMs: withRt.length ? withRt.reduce((a, c) => a + c.haproxy!.rtimeMs, 0) / withRt.length : null,
      },
    };
  };

  const [lastOp] = recentOperations(service.id, 1);
  const sinceLive = specChangeSinceLive(service);
  return {
    service: { name: service.name, spec: publicSpec(spec), updatedAt: service.updatedAt.getTime() },
    strategy: strategyView(service.name, spec),
    live: sideView(sides.live),
    candidate: sideView(sides.candidate),
    standby: sideView(sides.standby),
    deploying: sideView(deploying),
    releases: all.map(releaseView),
    shares,
    /** The current spec against the live release's: what "Deploy spec change" would deploy (secret values only as changed). */
    specChangedSinceLive: Boolean(sinceLive?.diff.changes.length),
    specChangesSinceLive: sinceLive ? { liveRelease: sinceLive.live.number, changes: sinceLive.diff.changes } : null,
    operation: lastOp ? operationWithSteps(lastOp.id) : null,
    haproxy: {
      ok: haproxyError === null,
      error: haproxyError,
      routed: backends.size > 0,
      ...(stats ? { sampledAt: stats.sampledAt } : {}),
    },
    routingPending: truth?.pending ?? null,
    hostErrors: [...engine.hostErrors.entries()].map(([id, error]) => ({ host: hostsUsed.get(id)?.name ?? String(id), error })),
  };
}
export type ServiceOverview = Awaited<ReturnType<typeof serviceOverview>>;
export type ReleaseView = ReturnType<typeof releaseView>;
export type SideView = NonNullable<ServiceOverview["live"]>;
export type SideContainer = SideView["containers"][number];
