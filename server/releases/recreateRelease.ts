import "server-only";
import { waitForServersUp } from "@/server/haproxy/applyBackend";
import { engineError } from "@/server/hosts/engineError";
import { dockerForHost } from "@/server/hosts/hostRegistry";
import { runStep } from "@/server/operations/operationLog";
import { haproxySocket } from "@/server/routing/applyServiceRouting";
import { specOf } from "@/server/services/serviceRows";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";
import { gateTargets } from "./gateTargets";
import { describeCheck, healthGate } from "./healthGate";
import { nextSlot } from "./nextSlot";
import { describeGap, keptPorts, usesRecreate } from "./recreatePlan";
import { activeContainersOf, releaseWithStatus, setReleaseStatus, type ReleaseRow } from "./releaseRows";
import { removeReleaseContainers } from "./removeReleaseContainers";
import { startReleaseContainers, type StartedContainer } from "./startReleaseContainers";
import { commitSwitch, routeAfterSwitch, type SwitchRecord } from "./switchTraffic";

/**
 * The recreate strategy, for a service whose volume must have one writer: the
 * live containers stop first (kept, stopped, as the standby), the new ones
 * start on the same host ports and volumes, pass the health gate and take
 * over. A failed gate removes the new ones and starts the old ones again.
 * Every step is an operation step; resumeOperations finds an interrupted one
 * by the step named RECREATE_STOP_STEP and starts the live release again.
 */
export const RECREATE_STOP_STEP = "recreate: stop";

export { usesRecreate };

/** The release's containers that exist on their engine (not quarantined), as the health gate takes them. */
function containersOf(releaseId: number): StartedContainer[] {
  return activeContainersOf([releaseId])
    .filter(({ container }) => container.quarantinedAt === null && container.dockerId !== null)
    .map(({ container, host }) => ({
      id: container.id,
      host,
      name: container.name,
      serverName: container.serverName,
      port: container.port,
      dockerId: container.dockerId!,
    }));
}

/** Stops (does not remove) every container of a release, each with the spec's stop grace period. */
export async function stopReleaseContainers(release: ReleaseRow): Promise<string> {
  const graceS = specOf(release).stopGraceS ?? 5;
  const cs = containersOf(release.id);
  const failures: string[] = [];
  await Promise.all(
    cs.map((c) =>
      dockerForHost(c.host, 30_000 + graceS * 1000)
        .getContainer(c.dockerId)
        .stop({ t: graceS })
        .catch((err: { statusCode?: number }) => {
          if (err.statusCode !== 304) failures.push(`${c.name} on ${c.host.name}: ${engineError(err)}`);
        }),
    ),
  );
  if (failures.length) throw new Error(`could not stop ${failures.join("; ")}`);
  return cs.map((c) => `${c.name} on ${c.host.name}:${c.port}`).join(", ");
}

/** Starts the stopped containers of a release again (already running ones are left as they are). */
export async function startStoppedContainers(release: ReleaseRow): Promise<StartedContainer[]> {
  const cs = containersOf(release.id);
  const failures: string[] = [];
  await Promise.all(
    cs.map((c) =>
      dockerForHost(c.host, 30_000)
        .getContainer(c.dockerId)
        .start()
        .catch((err: { statusCode?: number }) => {
          if (err.statusCode !== 304) failures.push(`${c.name} on ${c.host.name}: ${engineError(err)}`);
        }),
    ),
  );
  if (failures.length) throw new Error(`could not start ${failures.join("; ")}`);
  return cs;
}

/** Starts a release's kept containers again and waits for its health gate. */
async function bringBack(release: ReleaseRow): Promise<void> {
  const hc = specOf(release).healthCheck;
  await healthGate(gateTargets(await startStoppedContainers(release), hc), hc);
}

/**
 * After a failed stop, start or gate: `next`'s containers out of the way, then
 * `previous` (still recorded live) running again, even when removing a new
 * container failed (the removal's error is recorded after the bring-back).
 */
async function undo(opId: number, previous: ReleaseRow, removeNext: () => Promise<void>): Promise<void> {
  await runStep(opId, `recreate: undo: new containers out, release ${previous.number} started again (live again)`, async () => {
    const removal = await removeNext().then(
      () => undefined,
      (err: unknown) => err,
    );
    await bringBack(previous);
    if (removal !== undefined) throw removal;
  }).catch(() => undefined); // the step records why; the operation fails with the first failure's reason
}

/** Deploy / Redeploy with recreate while `live` runs: stop it, start `rel` on its ports, gate, take over. Returns the gap in ms. */
export async function recreateDeploy(
  opId: number,
  serviceId: number,
  rel: ReleaseRow,
  spec: ServiceSpec,
  pinned: string,
  live: ReleaseRow,
): Promise<number> {
  const slot = nextSlot(serviceId);
  const ports = keptPorts(
    containersOf(live.id).map((c) => ({ host: c.host.name, port: c.port })),
    spec.placement,
  );
  // Leaving blue-green: its standby still runs (drained) on the same volumes; it stops too, and starts again on undo.
  const standby = specOf(live).strategy === "recreate" ? undefined : releaseWithStatus(serviceId, "standby");
  const stoppedAt = Date.now();
  const hc = spec.healthCheck;
  let gapMs: number;
  try {
    // Inside the try: a stop that fails on one host must not leave the others' live containers stopped.
    await runStep(
      opId,
      `${RECREATE_STOP_STEP} release ${live.number} (kept, stopped, as the standby)`,
      () => stopReleaseContainers(live),
      (s) => `stopped ${s}`,
    );
    if (standby)
      await runStep(
        opId,
        `${RECREATE_STOP_STEP} standby release ${standby.number} (drained; one writer per volume)`,
        () => stopReleaseContainers(standby),
        (s) => `stopped ${s}`,
      );
    const started = await runStep(
      opId,
      "start containers on the same ports and volumes",
      () => startReleaseContainers(rel, spec, pinned, slot, ports),
      (s) => s.map((c) => `${c.name} on ${c.host.name}:${c.port}`).join(", "),
    );
    gapMs = await runStep(
      opId,
      `health gate: ${describeCheck(hc)} (up to ${hc.gateTimeoutS} s)`,
      async () => {
        await healthGate(gateTargets(started, hc), hc);
        return Date.now() - stoppedAt;
      },
      describeGap,
    );
  } catch (err) {
    await undo(opId, live, async () => {
      const left = await removeReleaseContainers([rel.id]);
      if (left.length) throw new Error(`could not remove ${left.join("; ")}`);
    });
    if (standby)
      await runStep(opId, `recreate: undo: standby release ${standby.number} started again`, () => startStoppedContainers(standby)).catch(
        () => undefined,
      );
    throw err;
  }
  await runStep(opId, `take over: release ${rel.number} live, release ${live.number} standby (stopped)`, async () => {
    setReleaseStatus(rel.id, "candidate");
    await routeAfterSwitch(serviceId, spec, commitSwitch(serviceId, rel));
    if (spec.haproxy)
      await waitForServersUp(
        haproxySocket(),
        spec.haproxy.backend,
        containersOf(rel.id).map((c) => c.serverName),
        hc.gateTimeoutS * 1000,
      );
  });
  return gapMs;
}

/** Rollback with recreate: stop the live release, start the kept standby again, gate, record it live. */
export async function recreateRollback(
  opId: number,
  serviceId: number,
  target: ReleaseRow,
  live: ReleaseRow,
): Promise<{ sw: SwitchRecord; gapMs: number }> {
  const hc = specOf(target).healthCheck;
  const stoppedAt = Date.now();
  let gapMs: number;
  try {
    await runStep(
      opId,
      `${RECREATE_STOP_STEP} release ${live.number} (live)`,
      () => stopReleaseContainers(live),
      (s) => `stopped ${s}`,
    );
    const back = await runStep(
      opId,
      `start release ${target.number} again`,
      () => startStoppedContainers(target),
      (s) => s.map((c) => `${c.name} on ${c.host.name}:${c.port}`).join(", "),
    );
    gapMs = await runStep(
      opId,
      `health gate: ${describeCheck(hc)} (up to ${hc.gateTimeoutS} s)`,
      async () => {
        await healthGate(gateTargets(back, hc), hc);
        return Date.now() - stoppedAt;
      },
      describeGap,
    );
  } catch (err) {
    await undo(opId, live, async () => void (await stopReleaseContainers(target)));
    throw err;
  }
  const sw = await runStep(opId, `record: release ${target.number} live`, () => commitSwitch(serviceId, target));
  await runStep(
    opId,
    specOf(target).haproxy ? "apply routing in HAProxy (the restarted servers live)" : "no HAProxy routing: statuses only",
    () => routeAfterSwitch(serviceId, specOf(target), sw),
  );
  return { sw, gapMs };
}

/**
 * After a restart cut a recreate off: the release SQLite records as live runs
 * again. `stopFirst` is the release that may hold its ports (a rollback's
 * target that had not been recorded live).
 */
export async function restartLiveAfterCut(live: ReleaseRow | undefined, stopFirst?: ReleaseRow): Promise<string> {
  if (!live) return "no live release to start again";
  if (stopFirst) await stopReleaseContainers(stopFirst);
  await bringBack(live);
  return `release ${live.number} running again`;
}
