/**
 * The Docker volumes behind one spec volume on one host. Pure.
 *
 * `<service>-<name>` holds the data (a plain local volume: what a backup
 * copies; `docker volume inspect` shows where it lives). Docker cannot mount
 * a volume noexec (HostConfig.Mounts has no such option, and the local
 * driver's `o=bind,noexec` is silently dropped for bind mounts on dockerd
 * 20.10), so a noexec volume is mounted through a second local volume,
 * `<service>-<name>.noexec`: an overlay mount (`o=noexec,nosuid,nodev`) whose
 * upper layer is the data volume's directory and whose work directory is the
 * third volume, `<service>-<name>.work`. Files written in the container land
 * in the data volume; the kernel refuses to execute them.
 */
export const VOLUME_LABELS = {
  service: "switchyard.service",
  volume: "switchyard.volume",
  /** data, noexec or work. */
  role: "switchyard.volume-role",
} as const;

export type VolumeRole = "data" | "noexec" | "work";

export function volumeNames(service: string, volume: string) {
  const data = `${service}-${volume}`;
  return { data, noexec: `${data}.noexec`, work: `${data}.work` };
}

/** The volume a container mounts for this spec volume. */
export function mountedVolumeName(service: string, volume: { name: string; noexec: boolean }): string {
  const n = volumeNames(service, volume.name);
  return volume.noexec ? n.noexec : n.data;
}

/** Local driver options of the noexec overlay, given the engine's data root (docker info DockerRootDir). */
export function noexecDriverOpts(dockerRootDir: string, service: string, volume: string): Record<string, string> {
  const n = volumeNames(service, volume);
  const dir = (name: string) => `${dockerRootDir}/volumes/${name}/_data`;
  // lowerdir: the overlay volume's own (empty) mount point, resolved before the mount covers it.
  return {
    type: "overlay",
    device: "overlay",
    o: `noexec,nosuid,nodev,lowerdir=${dir(n.noexec)},upperdir=${dir(n.data)},workdir=${dir(n.work)}`,
  };
}
