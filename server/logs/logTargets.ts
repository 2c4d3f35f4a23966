import "server-only";
import { AppError, notFound } from "@/server/errors";
import { engineError } from "@/server/hosts/engineError";
import { dockerForHost, hostRow } from "@/server/hosts/hostRegistry";
import { activeContainersOf, releasesOf } from "@/server/releases/releaseRows";
import { serviceByName } from "@/server/services/serviceRows";
import type { LogTarget } from "./followContainerLogs";

/**
 * One container (ID or name) on a host, checked before streaming: an unknown
 * container is a 404 and an unreachable engine a 503 with the reason, rather
 * than a stream that only says so.
 */
export async function containerLogTarget(hostId: number, container: string): Promise<LogTarget> {
  const host = hostRow(hostId);
  try {
    const info = await dockerForHost(host).getContainer(container).inspect();
    return {
      host,
      container: info.Id,
      label: info.Name.replace(/^\//, ""),
      service: info.Config?.Labels?.["io.switchyard.service"] ?? null,
    };
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) throw notFound(`Container '${container}' on ${host.name}`);
    throw new AppError("UNAVAILABLE", `${host.name} unreachable: ${engineError(err)}`);
  }
}

/**
 * Every container a service runs now: live, candidate, standby and deploying
 * releases, quarantined ones included (they keep their release's row).
 */
export function serviceLogTargets(name: string): LogTarget[] {
  const service = serviceByName(name);
  const shown = releasesOf(service.id, 30).filter((r) => ["live", "candidate", "standby", "deploying"].includes(r.status));
  return activeContainersOf(shown.map((r) => r.id))
    .filter(({ container }) => container.dockerId !== null)
    .map(({ container, host }) => ({
      host,
      container: container.dockerId!,
      label: container.quarantinedAt ? `${container.name} (quarantined)` : container.name,
    }));
}
