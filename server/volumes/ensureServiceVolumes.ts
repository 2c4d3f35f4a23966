import "server-only";
import type Docker from "dockerode";
import { engineError } from "@/server/hosts/engineError";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";
import { noexecDriverOpts, VOLUME_LABELS, volumeNames, type VolumeRole } from "./volumeNames";

/** A volume this call created (it did not exist before): kept, and reported when the deploy fails. */
export type CreatedVolume = { host: string; volume: string };

export class VolumeSetupError extends Error {
  constructor(
    message: string,
    readonly created: CreatedVolume[],
  ) {
    super(message);
  }
}

const is404 = (err: unknown) => (err as { statusCode?: number }).statusCode === 404;

async function ensureVolume(
  docker: Docker,
  host: string,
  name: string,
  labels: Record<string, string>,
  created: CreatedVolume[],
  driverOpts?: Record<string, string>,
) {
  try {
    const existing = (await docker.getVolume(name).inspect()) as {
      Labels?: Record<string, string> | null;
      Options?: Record<string, string> | null;
    };
    if (existing.Labels?.[VOLUME_LABELS.service] !== labels[VOLUME_LABELS.service]) {
      throw new Error(
        `volume ${name} on ${host} exists but does not belong to service ${labels[VOLUME_LABELS.service]} (label ${VOLUME_LABELS.service}); rename the spec volume or remove that volume`,
      );
    }
    return;
  } catch (err) {
    if (!is404(err)) throw err;
  }
  await docker.createVolume({ Name: name, Driver: "local", Labels: labels, ...(driverOpts ? { DriverOpts: driverOpts } : {}) });
  created.push({ host, volume: name });
}

/**
 * Creates the service's volumes on one host when missing (first deploy, or a
 * volume added to the spec); every later release reuses them. Nothing here
 * removes a volume: on failure the error lists what this call created, so the
 * deploy can report it.
 */
export async function ensureServiceVolumes(
  docker: Docker,
  host: string,
  spec: Pick<ServiceSpec, "name" | "volumes">,
): Promise<CreatedVolume[]> {
  const created: CreatedVolume[] = [];
  if (!spec.volumes.length) return created;
  try {
    let rootDir: string | undefined;
    for (const v of spec.volumes) {
      const names = volumeNames(spec.name, v.name);
      const labels = (role: VolumeRole) => ({
        [VOLUME_LABELS.service]: spec.name,
        [VOLUME_LABELS.volume]: v.name,
        [VOLUME_LABELS.role]: role,
      });
      await ensureVolume(docker, host, names.data, labels("data"), created);
      if (!v.noexec) continue;
      rootDir ??= String(((await docker.info()) as { DockerRootDir?: string }).DockerRootDir ?? "");
      if (!rootDir.startsWith("/"))
        throw new Error(`engine ${host} does not tell its data root (DockerRootDir): cannot set up the noexec mount of volume ${v.name}`);
      await ensureVolume(docker, host, names.work, labels("work"), created);
      await ensureVolume(docker, host, names.noexec, labels("noexec"), created, noexecDriverOpts(rootDir, spec.name, v.name));
    }
    return created;
  } catch (err) {
    const kept = created.length ? `; created and kept: ${created.map((c) => c.volume).join(", ")}` : "";
    throw new VolumeSetupError(`volumes on ${host}: ${engineError(err)}${kept}`, created);
  }
}
