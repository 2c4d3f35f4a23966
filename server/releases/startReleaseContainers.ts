import "server-only";
import { engineError } from "@/server/hosts/engineError";
import { dockerForHost, hostRowByName, type HostRow } from "@/server/hosts/hostRegistry";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";
import type { ContainerSlot } from "./constants";
import { containerName, serverName } from "./containerNaming";
import { containerCreateOptions } from "./containerConfig";
import { hostAddress } from "@/server/hosts/hostAddress";
import { freePorts } from "./freePorts";
import { insertReleaseContainer, portsInUse, setContainerDockerId, type ReleaseRow } from "./releaseRows";

export type StartedContainer = { id: number; host: HostRow; name: string; serverName: string; port: number; dockerId: string };

/**
 * Creates and starts the release's containers on every placement host. Each
 * container row is written before the engine call, so an interrupted deploy
 * knows what it may have to remove.
 */
export async function startReleaseContainers(
  release: ReleaseRow,
  spec: ServiceSpec,
  pinned: string,
  slot: ContainerSlot,
  /** Recreate: per host, the ports the replicas take over from the stopped release (server/releases/recreatePlan.ts). */
  keep?: ReadonlyMap<string, number[]>,
): Promise<StartedContainer[]> {
  // Ports are chosen for all hosts before any container starts: hosts sharing an address must not clash.
  const taken = new Map<string, Set<number>>();
  const plan = await Promise.all(
    spec.placement.map(async (p) => {
      const host = hostRowByName(p.host);
      const address = hostAddress(host.url);
      if (!taken.has(address)) taken.set(address, portsInUse(address, hostAddress));
      const used = taken.get(address)!;
      const kept = keep?.get(p.host) ?? [];
      const ports = [...kept, ...(await freePorts(address, used, p.replicas - kept.length))];
      ports.forEach((port) => used.add(port));
      return { p, host, ports };
    }),
  );
  const perHost = await Promise.all(
    plan.map(async ({ p, host, ports }) => {
      const docker = dockerForHost(host, 60_000);
      const started: StartedContainer[] = [];
      for (let i = 0; i < p.replicas; i++) {
        const name = containerName(spec.name, release.number, host.name, i + 1);
        const port = ports[i]!;
        const server = serverName(release.number, host.name, i + 1);
        const row = insertReleaseContainer({
          releaseId: release.id,
          hostId: host.id,
          slot,
          name,
          port,
          serverName: server,
          createdAt: new Date(),
        });
        try {
          const container = await docker.createContainer(containerCreateOptions(spec, release, pinned, slot, name, port));
          setContainerDockerId(row.id, container.id);
          await container.start();
          started.push({ id: row.id, host, name, serverName: server, port, dockerId: container.id });
        } catch (err) {
          throw new Error(`start ${name} on ${host.name} failed: ${engineError(err)}`, { cause: err });
        }
      }
      return started;
    }),
  );
  return perHost.flat();
}
