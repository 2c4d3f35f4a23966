import "server-only";
import type { HostRow } from "@/server/hosts/hostRegistry";
import { engineSnapshotsFor } from "@/server/live/engineSampler";
import { LABELS } from "@/server/releases/containerNaming";

export type EngineContainerState = { state: string; status: string; imageId: string; health: string | null };

/**
 * The engines' view of the service's containers, by container ID, from the
 * engine samplers' snapshots (no engine call). A stale engine's containers are
 * its last known state; its error is in `hostErrors` and its age in `staleHosts`.
 */
export async function serviceContainersState(serviceName: string, hostsUsed: HostRow[]) {
  const byId = new Map<string, EngineContainerState>();
  const hostErrors = new Map<number, string>();
  const staleHosts = new Map<number, { since: number; lastSeenAt: number | null }>();
  const snaps = await engineSnapshotsFor(hostsUsed);
  for (const h of hostsUsed) {
    const snap = snaps.get(h.id);
    if (!snap || snap.at === null) {
      hostErrors.set(h.id, snap?.stale?.error ?? "not sampled yet");
      continue;
    }
    if (snap.stale) {
      hostErrors.set(h.id, snap.stale.error);
      staleHosts.set(h.id, { since: snap.stale.since, lastSeenAt: snap.at });
      continue;
    }
    for (const c of snap.containers) {
      if (c.labels[LABELS.service] !== serviceName) continue;
      byId.set(c.id, { state: c.state, status: c.status, imageId: c.imageId, health: c.health });
    }
  }
  return { byId, hostErrors, staleHosts };
}
