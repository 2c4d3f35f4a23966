import "server-only";
import { listHostRows } from "@/server/hosts/hostRegistry";
import type { HostStatus } from "@/server/hosts/probeHost";
import { hostView, type HostView } from "@/server/hosts/hostView";
import { engineSnapshotsFor } from "@/server/live/engineSampler";
import type { EngineSnapshot } from "@/server/live/engineSnapshot";

/** `sampledAt`: when the engine last answered (epoch ms); `staleSince`: since when it does not. */
export type FleetHost = HostView & { status: HostStatus; sampledAt: number | null; staleSince: number | null };

/** A snapshot as the fleet page's status: reachable with its facts, or the error of a stale one. */
function statusOf(snap: EngineSnapshot | undefined, now: number): HostStatus {
  if (!snap) return { reachable: false, checkedAt: now, error: "not sampled yet" };
  if (snap.stale || !snap.engine || snap.at === null)
    return { reachable: false, checkedAt: snap.stale?.since ?? now, error: snap.stale?.error ?? "not sampled yet" };
  return { reachable: true, checkedAt: snap.at, latencyMs: snap.latencyMs ?? 0, engine: snap.engine };
}

/** Every host from the engine samplers' snapshots and SQLite: no engine is called for a read. */
export async function fleetOverview(): Promise<FleetHost[]> {
  const rows = listHostRows();
  const snaps = await engineSnapshotsFor(rows);
  const now = Date.now();
  return rows.map((r) => {
    const snap = snaps.get(r.id);
    const status = statusOf(snap, now);
    const view = hostView(r);
    const sampled = { sampledAt: snap?.at ?? null, staleSince: snap?.stale?.since ?? null };
    if (status.reachable)
      return { ...view, ...sampled, lastSeenAt: snap?.at ?? view.lastSeenAt, lastError: null, lastErrorAt: null, status };
    return {
      ...view,
      ...sampled,
      lastSeenAt: snap?.at ?? view.lastSeenAt,
      lastError: status.error,
      lastErrorAt: status.checkedAt,
      status,
    };
  });
}
