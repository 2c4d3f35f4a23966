import "server-only";
import type { Actor } from "@/server/auth/actor";
import { AppError, conflict, notFound } from "@/server/errors";
import { engineError } from "@/server/hosts/engineError";
import { dockerForHost, hostRowByName } from "@/server/hosts/hostRegistry";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { containersUsing, serviceVolumesOnHost } from "./serviceVolumesOnHost";

const ROLE_ORDER = { noexec: 0, work: 1, data: 2 } as const;

/**
 * Deletes one spec volume of a service on one host, with its data: the
 * admin's explicit action (retire, quarantine and service delete never do).
 * Refused while any container, running or stopped, mounts it.
 */
export async function deleteServiceVolume(actor: Actor, service: string, volume: string, hostName: string) {
  const host = hostRowByName(hostName);
  const docker = dockerForHost(host, 30_000);
  const found = (
    await serviceVolumesOnHost(docker, service).catch((err: unknown) => {
      throw new AppError("UNAVAILABLE", `engine ${host.name} does not answer: ${engineError(err)}`);
    })
  ).filter((v) => v.volume === volume);
  if (!found.length) throw notFound(`volume ${volume} of service ${service} on ${host.name}`);
  const names = found.map((v) => v.name);
  const users = await containersUsing(docker, names);
  if (users.length)
    throw conflict(`volume ${volume} on ${host.name} is in use by ${users.join(", ")}; retire or remove those containers first.`);
  const removed: string[] = [];
  try {
    // The noexec overlay first: it is mounted over the data volume's directory.
    for (const v of [...found].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role])) {
      await docker.getVolume(v.name).remove();
      removed.push(v.name);
    }
  } catch (err) {
    const message = `delete volume ${volume} of ${service} on ${host.name} failed after removing [${removed.join(", ")}]: ${engineError(err)}`;
    recordEvent({
      ...actorFields(actor),
      action: "volume.delete",
      outcome: "failed",
      serviceName: service,
      hostName: host.name,
      message,
      detail: { volume, removed },
    });
    throw conflict(message);
  }
  const data = found.find((v) => v.role === "data");
  const message = `volume ${volume} of ${service} deleted on ${host.name} (${removed.join(", ")})`;
  recordEvent({
    ...actorFields(actor),
    action: "volume.delete",
    outcome: "ok",
    serviceName: service,
    hostName: host.name,
    message,
    detail: { volume, removed, mountpoint: data?.mountpoint ?? null },
  });
  return { deleted: removed, host: host.name, volume };
}
