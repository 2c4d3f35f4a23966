import "server-only";
import { ifFound, notFound } from "@/server/errors";
import { engineError } from "@/server/hosts/engineError";
import { serviceByName } from "@/server/services/serviceRows";
import { dockerForHost, listHostRows } from "@/server/hosts/hostRegistry";
import { containersUsing, serviceVolumesOnHost } from "./serviceVolumesOnHost";

export type ServiceVolumeView = {
  host: string;
  /** The spec volume's name. */
  volume: string;
  /** The Docker volume that holds the data (`<service>-<name>`). */
  dockerVolume: string;
  /** Where the data lives on the host (the engine's volume directory). */
  mountpoint: string;
  /** Bytes as the engine's disk usage reports them; null when it does not know ("unknown"). */
  sizeBytes: number | null;
  /** Containers (running or stopped) that mount it: it cannot be deleted while any does. */
  usedBy: string[];
};

export type ServiceVolumesView = { volumes: ServiceVolumeView[]; unreachable: { host: string; error: string }[] };

/**
 * The service's data volumes on every host, with their size: found by label,
 * so volumes of a deleted service are listed too.
 */
export async function listServiceVolumes(service: string): Promise<ServiceVolumesView> {
  const out: ServiceVolumesView = { volumes: [], unreachable: [] };
  await Promise.all(
    listHostRows().map(async (host) => {
      try {
        const docker = dockerForHost(host);
        const all = await serviceVolumesOnHost(docker, service);
        const data = all.filter((v) => v.role === "data");
        if (!data.length) return;
        const df = (await docker.df().catch(() => null)) as {
          Volumes?: { Name: string; UsageData?: { Size?: number } | null }[] | null;
        } | null;
        const size = new Map((df?.Volumes ?? []).map((v) => [v.Name, v.UsageData?.Size ?? -1]));
        for (const v of data) {
          const related = all.filter((o) => o.volume === v.volume).map((o) => o.name);
          const bytes = size.get(v.name);
          out.volumes.push({
            host: host.name,
            volume: v.volume,
            dockerVolume: v.name,
            mountpoint: v.mountpoint,
            sizeBytes: bytes !== undefined && bytes >= 0 ? bytes : null,
            usedBy: await containersUsing(docker, related),
          });
        }
      } catch (err) {
        out.unreachable.push({ host: host.name, error: engineError(err) });
      }
    }),
  );
  if (!out.volumes.length && !ifFound(() => serviceByName(service))) throw notFound(`service ${service} (and no volume labelled as its)`);
  out.volumes.sort((a, b) => a.volume.localeCompare(b.volume) || a.host.localeCompare(b.host));
  return out;
}
