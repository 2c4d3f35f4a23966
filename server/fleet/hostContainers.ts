import "server-only";
import { hostRow } from "@/server/hosts/hostRegistry";
import { hostView, type HostView } from "@/server/hosts/hostView";
import { engineSnapshotsFor } from "@/server/live/engineSampler";

export type ContainerSummary = {
  id: string;
  name: string;
  image: string;
  imageId: string;
  state: string;
  status: string;
  createdAt: number;
  labels: Record<string, string>;
};

/** `sampledAt`: when the engine last answered (epoch ms), null if never. */
export type HostContainers = { host: HostView; sampledAt: number | null } & (
  | { reachable: true; containers: ContainerSummary[] }
  | { reachable: false; error: string; staleSince: number | null; lastKnown: ContainerSummary[] }
);

/**
 * All containers on one host (running and stopped) from the engine sampler's
 * snapshot; an unreachable host is a result (with what was last known), not an error.
 */
export async function hostContainers(hostId: number): Promise<HostContainers> {
  const host = hostRow(hostId);
  const snap = (await engineSnapshotsFor([host])).get(host.id);
  const containers: ContainerSummary[] = (snap?.containers ?? []).map((c) => ({
    id: c.id,
    name: c.name,
    image: c.image,
    imageId: c.imageId,
    state: c.state,
    status: c.status,
    createdAt: c.created,
    labels: c.labels,
  }));
  const view = { ...hostView(host), lastSeenAt: snap?.at ?? host.lastSeenAt?.getTime() ?? null };
  if (snap && snap.at !== null && !snap.stale) return { host: view, sampledAt: snap.at, reachable: true, containers };
  return {
    host: view,
    sampledAt: snap?.at ?? null,
    reachable: false,
    error: snap?.stale?.error ?? "not sampled yet",
    staleSince: snap?.stale?.since ?? null,
    lastKnown: containers,
  };
}
