import "server-only";
import { and, count, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { releaseContainers } from "@/db/schema";
import { engineError } from "@/server/hosts/engineError";
import { hostAddress } from "@/server/hosts/hostAddress";
import { dockerForHost, type HostRow } from "@/server/hosts/hostRegistry";
import { containerCreateOptions } from "@/server/releases/containerConfig";
import { containerName, serverName } from "@/server/releases/containerNaming";
import { freePorts } from "@/server/releases/freePorts";
import { describeCheck, healthGate, probeFor } from "@/server/releases/healthGate";
import { pullImage } from "@/server/releases/pullImage";
import { portsInUse, type ReleaseContainerRow, type ReleaseRow } from "@/server/releases/releaseRows";
import { specOf } from "@/server/services/serviceRows";
import type { StartedContainer } from "@/server/releases/startReleaseContainers";
import { nextContainerIndex } from "./quarantineRules";

/**
 * A fresh container of the same release on the same host, from the release's
 * pinned digest and spec (as startReleaseContainers creates them), recorded
 * as one more container of that release so routing treats it like the others,
 * and health-gated. On failure it is removed again and the error rethrown.
 */
export async function startReplacement(quarantined: ReleaseContainerRow, release: ReleaseRow, host: HostRow): Promise<StartedContainer> {
  const spec = specOf(release);
  const pinned = release.imageDigest;
  if (!pinned) throw new Error(`release ${release.number} has no digest to start a replacement from`);
  const onHost = db()
    .select({ n: count() })
    .from(releaseContainers)
    .where(and(eq(releaseContainers.releaseId, release.id), eq(releaseContainers.hostId, host.id)))
    .get();
  const index = nextContainerIndex(onHost?.n ?? 0);
  const name = containerName(spec.name, release.number, host.name, index);
  const server = serverName(release.number, host.name, index);
  const address = hostAddress(host.url);
  const [port] = await freePorts(address, portsInUse(address, hostAddress), 1);
  const docker = dockerForHost(host, 60_000);
  await pullImage(docker, pinned, host.name);

  const row = db()
    .insert(releaseContainers)
    .values({
      releaseId: release.id,
      hostId: host.id,
      slot: quarantined.slot,
      name,
      port: port!,
      serverName: server,
      createdAt: new Date(),
    })
    .returning()
    .get();
  let dockerId: string | null = null;
  try {
    const container = await docker.createContainer(containerCreateOptions(spec, release, pinned, quarantined.slot, name, port!));
    dockerId = container.id;
    db().update(releaseContainers).set({ dockerId }).where(eq(releaseContainers.id, row.id)).run();
    await container.start();
    await healthGate(
      [
        {
          label: name,
          what: describeCheck(spec.healthCheck, { address, port: port! }),
          probe: probeFor(spec.healthCheck, { address, port: port! }, () => container),
          isRunning: async () => {
            const s = await container.inspect().catch(() => null);
            return { running: Boolean(s?.State.Running), why: s ? `exit code ${s.State.ExitCode}` : "container vanished" };
          },
        },
      ],
      spec.healthCheck,
    );
    return { id: row.id, host, name, serverName: server, port: port!, dockerId };
  } catch (err) {
    if (dockerId)
      await docker
        .getContainer(dockerId)
        .remove({ force: true })
        .catch(() => undefined);
    db().update(releaseContainers).set({ removedAt: new Date() }).where(eq(releaseContainers.id, row.id)).run();
    throw new Error(
      `replacement ${name} on ${host.name}: ${err instanceof Error && !("statusCode" in err) ? err.message : engineError(err)}`,
      { cause: err },
    );
  }
}
