import "server-only";
import { config } from "@/server/config";
import { AppError } from "@/server/errors";
import { dockerForHost, hostRow } from "@/server/hosts/hostRegistry";
import { engineError } from "@/server/hosts/engineError";
import { withTimeout } from "@/server/async/withTimeout";
import { hostView, type HostView } from "@/server/hosts/hostView";

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

export type HostContainers = { host: HostView } & (
  { reachable: true; containers: ContainerSummary[] } | { reachable: false; error: string }
);

/** All containers on one host (running and stopped); an unreachable host is a result, not an error. */
export async function hostContainers(hostId: number): Promise<HostContainers> {
  const host = hostRow(hostId);
  try {
    const list = await withTimeout(
      dockerForHost(host).listContainers({ all: true }),
      config().SWITCHYARD_HOST_TIMEOUT_MS,
      `engine ${host.name}`,
    );
    const containers = list
      .map((c) => ({
        id: c.Id,
        name: (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, ""),
        image: c.Image,
        imageId: c.ImageID,
        state: c.State,
        status: c.Status,
        createdAt: c.Created * 1000,
        labels: c.Labels ?? {},
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { host: hostView(host), reachable: true, containers };
  } catch (err) {
    if (err instanceof AppError) throw err;
    return { host: hostView(host), reachable: false, error: engineError(err) };
  }
}
