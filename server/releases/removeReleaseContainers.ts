import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { releaseContainers } from "@/db/schema";
import { engineError } from "@/server/hosts/engineError";
import { dockerForHost } from "@/server/hosts/hostRegistry";
import { activeContainersOf } from "./releaseRows";

/**
 * Stops and removes every container of the given releases (already out of
 * traffic). Idempotent: a container already gone counts as removed. Returns
 * the failures (an unreachable host keeps its row active for a later retry).
 */
export async function removeReleaseContainers(releaseIds: number[]): Promise<string[]> {
  const rows = activeContainersOf(releaseIds);
  const failures: string[] = [];
  await Promise.all(
    rows.map(async ({ container, host }) => {
      try {
        const ref = container.dockerId ?? container.name;
        const c = dockerForHost(host, 30_000).getContainer(ref);
        // Graceful stop first (it is out of traffic already), then remove.
        await c.stop({ t: 5 }).catch((err: { statusCode?: number }) => {
          if (err.statusCode !== 304 && err.statusCode !== 404) throw err;
        });
        await c
          .remove({ force: true })
          .catch((err: { statusCode?: number }) => {
            if (err.statusCode !== 404) throw err;
          });
        db().update(releaseContainers).set({ removedAt: new Date() }).where(eq(releaseContainers.id, container.id)).run();
      } catch (err) {
        failures.push(`${container.name} on ${host.name}: ${engineError(err)}`);
      }
    }),
  );
  return failures;
}
