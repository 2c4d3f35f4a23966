import "server-only";
import { AppError, conflict, notFound } from "@/server/errors";
import { engineError } from "@/server/hosts/engineError";
import { dockerForHost, type HostRow } from "@/server/hosts/hostRegistry";
import { withTimeout } from "@/server/async/withTimeout";
import { config } from "@/server/config";
import { activeContainersOnHost } from "@/server/releases/releaseRows";
import { specOf } from "@/server/services/serviceRows";
import { quarantineIdOfContainer, quarantineOnHostByRef } from "./quarantineRows";
import { quarantineRefusal } from "./quarantineRules";

const ROUTED = new Set(["live", "candidate", "standby"]);

function matches(ref: string) {
  return (c: { dockerId: string | null; name: string }) =>
    c.name === ref || c.dockerId === ref || (/^[0-9a-f]{12,64}$/.test(ref) && Boolean(c.dockerId?.startsWith(ref)));
}

/** Whether the engine reports the container running (a missing container is not). */
async function containerRunning(host: HostRow, dockerId: string): Promise<boolean> {
  try {
    const info = await withTimeout(
      dockerForHost(host).getContainer(dockerId).inspect(),
      config().SWITCHYARD_HOST_TIMEOUT_MS,
      `engine ${host.name}`,
    );
    return info.State.Running === true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw new AppError("UNAVAILABLE", `Host ${host.name} does not answer (${engineError(err)}); cannot tell whether the container runs.`);
  }
}

/**
 * The release container a quarantine request names (Docker id, id prefix of
 * 12+ hex digits, or name) on a host, with its release and service; a clear
 * 4xx otherwise: unknown, already quarantined or destroyed, not a routed
 * release's, or a container on the host that no release accounts for.
 */
export async function findQuarantineTarget(host: HostRow, ref: string) {
  const rows = activeContainersOnHost(host.id);
  const hit = rows.find((r) => matches(ref)(r.container));
  if (hit) {
    const { container, release } = hit;
    if (container.quarantinedAt) {
      const quarantineId = quarantineIdOfContainer(container.id);
      throw conflict(
        `${container.name} on ${host.name} is already quarantined${quarantineId !== undefined ? ` (quarantine #${quarantineId})` : ""}; a quarantined container never returns to traffic.`,
      );
    }
    if (!ROUTED.has(release.status))
      throw conflict(
        `${container.name} belongs to release ${release.number}, which is ${release.status}; only containers of a live, candidate or standby release can be quarantined.`,
      );
    if (!container.dockerId) throw conflict(`${container.name} was never created on ${host.name}.`);
    // The service's spec and the release's (a service edited away from recreate may still run a recreate release).
    const specs = [specOf(hit.service), specOf(release)];
    const named = { name: container.name, host: host.name };
    // The strategy/volume rule first: it needs no engine call.
    const ruled = specs.map((s) => quarantineRefusal({ ...named, running: true }, s)).find(Boolean);
    if (ruled) throw conflict(ruled);
    const refused = quarantineRefusal({ ...named, running: await containerRunning(host, container.dockerId) }, specs[0]!);
    if (refused) throw conflict(refused);
    return hit;
  }
  const earlier = quarantineOnHostByRef(host.id, ref);
  if (earlier && earlier.status !== "active") {
    throw conflict(
      `${earlier.originalName} on ${host.name} was already quarantined (#${earlier.id}) and is ${earlier.status}${earlier.destroyedAt ? ` since ${earlier.destroyedAt.toISOString()}` : ""}.`,
    );
  }
  let exists: boolean;
  try {
    exists = Boolean(
      await withTimeout(dockerForHost(host).getContainer(ref).inspect(), config().SWITCHYARD_HOST_TIMEOUT_MS, `engine ${host.name}`),
    );
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) exists = false;
    else throw new AppError("UNAVAILABLE", `Host ${host.name} does not answer (${engineError(err)}); cannot tell what '${ref}' is.`);
  }
  if (exists) {
    throw new AppError(
      "UNPROCESSABLE",
      `'${ref}' on ${host.name} is not a container Switchyard deployed (no release accounts for it): only release containers can be quarantined, because quarantine starts a replacement from their release.`,
    );
  }
  throw notFound(`Container '${ref}' on host ${host.name}`);
}
