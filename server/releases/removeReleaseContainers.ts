import "server-only";
import { db } from "@/db/client";
import { engineError } from "@/server/hosts/engineError";
import { dockerForHost } from "@/server/hosts/hostRegistry";
import { specOf } from "@/server/services/serviceRows";
import { activeContainersOf, markContainerRemoved, releaseById } from "./releaseRows";
import { ownContainerByName } from "./ownContainerByName";

/**
 * Stops and removes every container of the given releases (already out of
 * traffic). Idempotent: a container already gone counts as removed. Returns
 * the failures (an unreachable host keeps its row active for a later retry).
 */
export async function removeReleaseContainers(releaseIds: number[]): Promise<string[]> {
  // A quarantined container lives on its own timer (server/quarantine/quarantineTimers.ts).
  const rows = activeContainersOf(releaseIds).filter(({ container }) => container.quarantinedAt === null);
  const failures: string[] = [];
  // The spec's stop grace period (Docker's StopTimeout), else 5 s.
  const graceS = new Map<number, number>();
  for (const id of new Set(rows.map((r) => r.container.releaseId))) {
    const rel = releaseById(id);
    graceS.set(id, (rel && specOf(rel).stopGraceS) ?? 5);
  }
  await Promise.all(
    rows.map(async ({ container, host }) => {
      try {
        const docker = dockerForHost(host, 30_000);
        const ref = container.dockerId ?? (await ownContainerByName(docker, container.releaseId, container.name));
        if (!ref) {
          // Never created (or someone else's container has that name): nothing of ours to remove.
          markContainerRemoved(db(), container.id);
          return;
        }
        const c = docker.getContainer(ref);
        // Graceful stop first (it is out of traffic already), then remove.
        await c.stop({ t: graceS.get(container.releaseId) ?? 5 }).catch((err: { statusCode?: number }) => {
          if (err.statusCode !== 304 && err.statusCode !== 404) throw err;
        });
        await c.remove({ force: true }).catch((err: { statusCode?: number }) => {
          if (err.statusCode !== 404) throw err;
        });
        markContainerRemoved(db(), container.id);
      } catch (err) {
        failures.push(`${container.name} on ${host.name}: ${engineError(err)}`);
      }
    }),
  );
  return failures;
}
