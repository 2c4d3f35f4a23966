import "server-only";
import type Docker from "dockerode";
import { VOLUME_LABELS, type VolumeRole } from "./volumeNames";

export type EngineVolume = { name: string; volume: string; role: VolumeRole; mountpoint: string };

/** The Docker volumes labelled as the service's on one engine (they outlive the service row). */
export async function serviceVolumesOnHost(docker: Docker, service: string): Promise<EngineVolume[]> {
  const res = (await docker.listVolumes({ filters: JSON.stringify({ label: [`${VOLUME_LABELS.service}=${service}`] }) })) as {
    Volumes?: { Name: string; Mountpoint: string; Labels?: Record<string, string> | null }[] | null;
  };
  return (res.Volumes ?? []).map((v) => ({
    name: v.Name,
    volume: v.Labels?.[VOLUME_LABELS.volume] ?? "",
    role: (v.Labels?.[VOLUME_LABELS.role] ?? "data") as VolumeRole,
    mountpoint: v.Mountpoint,
  }));
}

/** Names of the containers (running or stopped) that mount any of the given volumes. */
export async function containersUsing(docker: Docker, volumes: string[]): Promise<string[]> {
  const names = new Set<string>();
  for (const v of volumes) {
    const list = await docker.listContainers({ all: true, filters: JSON.stringify({ volume: [v] }) });
    for (const c of list) names.add((c.Names[0] ?? c.Id).replace(/^\//, ""));
  }
  return [...names].sort();
}
