import "server-only";
import { config } from "@/server/config";
import { engineError } from "@/server/hosts/engineError";
import { dockerForHost, type HostRow } from "@/server/hosts/hostRegistry";
import { withTimeout } from "@/server/async/withTimeout";
import { LABELS } from "@/server/releases/containerNaming";

export type EngineContainerState = { state: string; status: string; imageId: string };

/** One list call per host: the engine's view of the service's containers, by container ID. */
export async function serviceContainersState(serviceName: string, hostsUsed: HostRow[]) {
  const byId = new Map<string, EngineContainerState>();
  const hostErrors = new Map<number, string>();
  await Promise.all(
    hostsUsed.map(async (h) => {
      try {
        const list = await withTimeout(
          dockerForHost(h).listContainers({ all: true, filters: { label: [`${LABELS.service}=${serviceName}`] } }),
          config().SWITCHYARD_HOST_TIMEOUT_MS,
          `engine ${h.name}`,
        );
        for (const c of list) byId.set(c.Id, { state: c.State, status: c.Status, imageId: c.ImageID });
      } catch (err) {
        hostErrors.set(h.id, engineError(err));
      }
    }),
  );
  return { byId, hostErrors };
}
