/**
 * The recreate strategy with a real stateful service (issue 11): Debian's
 * Redis (lab image demo-redis) with a volume at /data, one replica on alpha
 * (unix socket) and one on beta (TCP+TLS), no HAProxy routing (clients use
 * each replica's host port). 1,000 keys written to each replica survive
 * Redeploy → Rollback → Redeploy → Deploy spec change (and a deploy whose gate fails, which starts
 * the old containers again); each change stops the old containers (kept,
 * stopped, as the standby) before the new ones start on the same host port.
 * A rollback or redeploy cut off after the swap started is undone on resume
 * with the live release running again.
 * The volume survives retire and service delete. A routed service (demo-web
 * behind the lab HAProxy's it-web backend) with recreate: HAProxy follows the
 * new release's servers on the same addresses, and back on rollback.
 */
import fs from "node:fs";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lab, labDocker, system, useTempDataDir } from "./lab";
import { sample, until, type Engine } from "./releaseLab";

const dataDir = useTempDataDir("stateful-recreate");

const { db } = await import("@/db/client");
const { addLabHosts, clearService, containersOfRelease, deploySucceeded, deployToEnd, onHosts, serviceSpec } = await import("./fixtures");
const { createService, updateService } = await import("@/server/services/saveService");
const { deleteService } = await import("@/server/services/deleteService");
const { serviceByName } = await import("@/server/services/serviceRows");
const { serviceOverview } = await import("@/server/services/serviceOverview");
const { switchTraffic } = await import("@/server/releases/switchTraffic");
const { retireStandby } = await import("@/server/releases/retireStandby");
const { releaseWithStatus, setReleaseStatus } = await import("@/server/releases/releaseRows");
const { removeReleaseContainers } = await import("@/server/releases/removeReleaseContainers");
const { RECREATE_STOP_STEP, startStoppedContainers, stopReleaseContainers } = await import("@/server/releases/recreateRelease");
const { beginOperation, operationWithSteps, runStep, setOperationRelease } = await import("@/server/operations/operationLog");
const { insertRelease } = await import("@/server/releases/createRelease");
const { startReleaseContainers } = await import("@/server/releases/startReleaseContainers");
const { keptPorts } = await import("@/server/releases/recreatePlan");
const { specOf } = await import("@/server/services/serviceRows");
const { resumeOperations } = await import("@/server/operations/resumeOperations");
const { findQuarantineTarget } = await import("@/server/quarantine/findQuarantineTarget");
const { hostRowByName } = await import("@/server/hosts/hostRegistry");

const L = lab();
const SERVICE = "rc-redis";
const REDIS = L.images["demo-redis"]?.["1.0.0"];
const ENGINES: Engine[] = ["alpha", "beta"];
const KEYS = 1000;
const ROUTED = "rc-web";

const spec = (overrides = {}) =>
  serviceSpec(SERVICE, {
    image: `${L.registry}/demo-redis`,
    placement: onHosts("alpha", "beta"),
    haproxy: null,
    strategy: "recreate",
    volumes: [{ name: "data", target: "/data" }],
    healthCheck: { kind: "exec", command: ["/bin/healthy"], gateTimeoutS: 20 },
    stopGraceS: 3,
    ...overrides,
  });

/** Sends inline RESP commands (then QUIT) to Redis on a host port; the raw replies. */
function redis(port: number, commands: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: "127.0.0.1", port }, () => socket.end(`${commands.join("\r\n")}\r\nQUIT\r\n`));
    socket.setTimeout(10_000, () => socket.destroy(new Error(`redis on ${port}: no answer within 10 s`)));
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

const value = (engine: Engine, i: number) => `${engine}-v${i}`;

async function writeKeys(engine: Engine, port: number): Promise<void> {
  const replies = await redis(
    port,
    Array.from({ length: KEYS }, (_, i) => `SET k${i} ${value(engine, i)}`),
  );
  expect(replies.split("\r\n").filter((l) => l === "+OK")).toHaveLength(KEYS + 1); // + QUIT
}

/** The keys k0…k999 whose value is missing or wrong on the replica at `port`. */
async function missingKeys(engine: Engine, port: number): Promise<string[]> {
  const reply = await redis(port, [`MGET ${Array.from({ length: KEYS }, (_, i) => `k${i}`).join(" ")}`]);
  const lines = reply.split("\r\n");
  expect(lines[0], reply.slice(0, 200)).toBe(`*${KEYS}`);
  const values: (string | null)[] = [];
  for (let i = 1; values.length < KEYS; i++) values.push(lines[i] === "$-1" ? null : lines[++i]!);
  return values.flatMap((v, i) => (v === value(engine, i) ? [] : [`k${i}=${v}`]));
}

/** The host port of the service's replica on each engine in release `n`. */
function portsOf(n: number): Record<Engine, number> {
  const rows = containersOfRelease(SERVICE, n);
  return Object.fromEntries(ENGINES.map((e) => [e, rows.find((r) => r.engine === e)!.port])) as Record<Engine, number>;
}

async function runningOf(n: number): Promise<boolean[]> {
  return Promise.all(
    containersOfRelease(SERVICE, n).map(async (c) => (await labDocker(c.engine).getContainer(c.dockerId!).inspect()).State.Running),
  );
}

async function expectAllKeys(ports: Record<Engine, number>) {
  for (const engine of ENGINES) expect(await missingKeys(engine, ports[engine]), `keys on ${engine}`).toEqual([]);
}

const liveNumber = () => releaseWithStatus(serviceByName(SERVICE).id, "live")?.number;

async function volumesOn(engine: Engine): Promise<string[]> {
  const res = (await labDocker(engine).listVolumes({ filters: JSON.stringify({ label: [`switchyard.service=${SERVICE}`] }) })) as {
    Volumes?: { Name: string }[] | null;
  };
  return (res.Volumes ?? []).map((v) => v.Name).sort();
}

async function removeVolumes() {
  for (const engine of ENGINES) {
    for (const name of (await volumesOn(engine)).sort((a, b) => b.length - a.length))
      await labDocker(engine)
        .getVolume(name)
        .remove()
        .catch(() => undefined);
  }
}

beforeAll(async () => {
  expect(REDIS, "lab.json has no images.demo-redis: run LAB_DIR=… bash scripts/lab/redis.sh").toBeTruthy();
  await clearService(SERVICE, L.haproxy.adminSocket, []);
  await removeVolumes();
  await clearService(ROUTED, L.haproxy.adminSocket, ["it-web", "it-web-preview"]);
  addLabHosts("alpha", "beta");
  createService(system, spec());
});

afterAll(async () => {
  await clearService(ROUTED, L.haproxy.adminSocket, ["it-web", "it-web-preview"]).catch((err) =>
    console.error("[stateful-recreate] clean-up failed:", err),
  );
  await clearService(SERVICE, L.haproxy.adminSocket, []).catch((err) => console.error("[stateful-recreate] clean-up failed:", err));
  await removeVolumes().catch(() => undefined);
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("Redis with a volume and strategy recreate, on alpha and beta", () => {
  let ports: Record<Engine, number>;

  it("first deploy: Redis runs on both engines; 1,000 keys are written to each replica", async () => {
    await deploySucceeded(SERVICE, "1.0.0");
    ports = portsOf(1);
    for (const engine of ENGINES) await writeKeys(engine, ports[engine]);
    await expectAllKeys(ports);
  });

  it("redeploy: the old containers stop first (kept, stopped), the new ones take over their ports; every key is there", async () => {
    const op = await deployToEnd(SERVICE, "redeploy", null);
    expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
    const names = op.steps.map((s) => s.name);
    const stop = names.findIndex((n) => n.startsWith("recreate: stop release 1"));
    const start = names.indexOf("start containers on the same ports and volumes");
    expect(stop, names.join(" | ")).toBeGreaterThan(-1);
    expect(start).toBeGreaterThan(stop);
    expect(op.steps.find((s) => s.name.startsWith("health gate"))?.detail).toMatch(/^gap \d+\.\d s$/);
    expect(liveNumber()).toBe(2);
    expect(releaseWithStatus(serviceByName(SERVICE).id, "standby")?.number).toBe(1);
    expect(portsOf(2)).toEqual(ports);
    expect(await runningOf(1)).toEqual([false, false]);
    expect(await runningOf(2)).toEqual([true, true]);
    await expectAllKeys(ports);

    const overview = await serviceOverview(SERVICE);
    expect(overview.strategy.name).toBe("recreate");
    expect(overview.strategy.lastGapMs).toBeGreaterThan(0);
  });

  it("rollback: the new containers stop, the kept ones start again on the same ports; every key is there", async () => {
    const res = await switchTraffic(system, SERVICE, "rollback");
    expect(res).toMatchObject({ live: 1, standby: 2 });
    expect(await runningOf(1)).toEqual([true, true]);
    expect(await runningOf(2)).toEqual([false, false]);
    await expectAllKeys(ports);
  });

  it("redeploy again: release 3 takes over from release 1, release 2 is retired; every key is there", async () => {
    const op = await deployToEnd(SERVICE, "redeploy", null);
    expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
    expect(liveNumber()).toBe(3);
    expect(portsOf(3)).toEqual(ports);
    expect(containersOfRelease(SERVICE, 2).every((c) => c.removedAt !== null)).toBe(true);
    expect(await runningOf(3)).toEqual([true, true]);
    await expectAllKeys(ports);
  });

  it("a rollback cut off by a restart after the swap started: resume stops the target and starts the live release again", async () => {
    const service = serviceByName(SERVICE);
    const live = releaseWithStatus(service.id, "live")!;
    const standby = releaseWithStatus(service.id, "standby")!;
    expect([live.number, standby.number]).toEqual([3, 1]);
    // What a crashed process leaves: the rollback's first steps done, the target started on the live ports, nothing recorded.
    const op = beginOperation(service.id, SERVICE, "rollback", system, { release: standby.number });
    await runStep(op.id, `${RECREATE_STOP_STEP} release ${live.number} (live)`, () => stopReleaseContainers(live));
    await startStoppedContainers(standby);
    await resumeOperations();
    const after = operationWithSteps(op.id)!;
    expect(after.status, JSON.stringify(after.steps)).toBe("undone");
    expect(after.steps.find((s) => s.name.startsWith("recreate after restart"))?.status).toBe("done");
    expect(liveNumber()).toBe(3);
    expect(await runningOf(3)).toEqual([true, true]);
    expect(await runningOf(1)).toEqual([false, false]);
    await expectAllKeys(ports);
  });

  it("a redeploy cut off by a restart after the new containers started: resume removes them and starts the live release again", async () => {
    const service = serviceByName(SERVICE);
    const live = releaseWithStatus(service.id, "live")!;
    const op = beginOperation(service.id, SERVICE, "redeploy", system, null);
    const rel = insertRelease(
      service,
      { imageRef: live.imageRef, digest: live.imageDigest!.split("@")[1]!, pinned: live.imageDigest!, spec: specOf(live), note: "" },
      system,
    );
    setOperationRelease(op.id, rel.id);
    const old = containersOfRelease(SERVICE, live.number)
      .filter((c) => c.removedAt === null)
      .map((c) => ({ host: c.engine, port: c.port }));
    await runStep(op.id, `${RECREATE_STOP_STEP} release ${live.number} (kept, stopped, as the standby)`, () => stopReleaseContainers(live));
    await startReleaseContainers(rel, specOf(live), live.imageDigest!, "green", keptPorts(old, specOf(live).placement));
    await resumeOperations();
    const after = operationWithSteps(op.id)!;
    expect(after.status, JSON.stringify(after.steps)).toBe("undone");
    expect(after.steps.find((s) => s.name.startsWith("recreate after restart"))?.status, JSON.stringify(after.steps)).toBe("done");
    expect(liveNumber()).toBe(live.number);
    expect(containersOfRelease(SERVICE, rel.number).every((c) => c.removedAt !== null)).toBe(true);
    expect(await runningOf(live.number)).toEqual([true, true]);
    await expectAllKeys(ports);
  });

  it("a failed gate removes the new containers and starts the old ones again (live again); every key is there", async () => {
    updateService(system, SERVICE, spec({ healthCheck: { kind: "exec", command: ["/bin/busybox", "false"], gateTimeoutS: 2 } }));
    const op = await deployToEnd(SERVICE, "deploy", { image: "1.0.0" });
    updateService(system, SERVICE, spec());
    expect(op.status).toBe("failed");
    expect(op.steps.find((s) => s.name.startsWith("recreate: undo"))?.status, JSON.stringify(op.steps)).toBe("done");
    expect(liveNumber()).toBe(3);
    expect(containersOfRelease(SERVICE, 5).every((c) => c.removedAt !== null)).toBe(true);
    expect(await runningOf(3)).toEqual([true, true]);
    await expectAllKeys(ports);
  });

  it("deploy spec change: the live digest with an edited spec takes over the same ports; every key is there", async () => {
    const before = releaseWithStatus(serviceByName(SERVICE).id, "live")!;
    updateService(system, SERVICE, spec({ env: [{ name: "SPEC_CHANGE", value: "1" }] }));
    const op = await deployToEnd(SERVICE, "deploy", { specChange: true });
    expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
    const after = releaseWithStatus(serviceByName(SERVICE).id, "live")!;
    expect(after.number).toBeGreaterThan(before.number);
    expect(after.imageDigest).toBe(before.imageDigest);
    expect(specOf(after).env).toEqual([{ name: "SPEC_CHANGE", value: "1", secret: false }]);
    expect(portsOf(after.number)).toEqual(ports);
    expect(await runningOf(after.number)).toEqual([true, true]);
    await expectAllKeys(ports);
  });

  it("quarantine refuses a container of a recreate service with volumes (one writer per volume)", async () => {
    const live = releaseWithStatus(serviceByName(SERVICE).id, "live")!;
    const c = containersOfRelease(SERVICE, live.number)[0]!;
    await expect(findQuarantineTarget(hostRowByName(c.engine), c.dockerId!)).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("a recreate service has one writer per volume"),
    });
    expect(await runningOf(live.number)).toEqual([true, true]);
  });

  it("a recreate service edited to blue-green still deploys with recreate (no second writer beside the live one)", async () => {
    const before = releaseWithStatus(serviceByName(SERVICE).id, "live")!;
    updateService(system, SERVICE, spec({ strategy: "blue-green", env: [{ name: "SPEC_CHANGE", value: "2" }] }));
    const op = await deployToEnd(SERVICE, "deploy", { specChange: true });
    expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
    expect(op.steps.some((s) => s.name.startsWith(RECREATE_STOP_STEP))).toBe(true);
    const after = releaseWithStatus(serviceByName(SERVICE).id, "live")!;
    expect(after.number).toBeGreaterThan(before.number);
    expect(portsOf(after.number)).toEqual(ports);
    expect(await runningOf(before.number)).toEqual([false, false]);
    await expectAllKeys(ports);
  });

  it("switching a blue-green service with a running standby to recreate stops that standby too", async () => {
    updateService(system, SERVICE, spec({ strategy: "blue-green", env: [{ name: "SPEC_CHANGE", value: "3" }] }));
    const bg = await deployToEnd(SERVICE, "deploy", { specChange: true });
    expect(bg.status, JSON.stringify(bg.steps)).toBe("succeeded");
    await switchTraffic(system, SERVICE, "switch");
    const standby = releaseWithStatus(serviceByName(SERVICE).id, "standby")!;
    expect(await runningOf(standby.number)).toEqual([true, true]); // blue-green keeps its standby running
    updateService(system, SERVICE, spec({ env: [{ name: "SPEC_CHANGE", value: "4" }] }));
    const op = await deployToEnd(SERVICE, "deploy", { specChange: true });
    expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
    // Stopped before the new containers start (after the take-over it is retired and removed, as every displaced standby).
    const stopStandby = op.steps.findIndex((s) => s.name.includes(`standby release ${standby.number}`) && s.status === "done");
    expect(stopStandby, JSON.stringify(op.steps)).toBeGreaterThan(-1);
    expect(stopStandby).toBeLessThan(op.steps.findIndex((s) => s.name.startsWith("start containers")));
    expect(await runningOf(releaseWithStatus(serviceByName(SERVICE).id, "live")!.number)).toEqual([true, true]);
  });

  it("the volume survives retire and service delete", async () => {
    await retireStandby(system, SERVICE);
    for (const engine of ENGINES) expect(await volumesOn(engine)).toContain(`${SERVICE}-data`);
    const service = serviceByName(SERVICE);
    const live = releaseWithStatus(service.id, "live")!;
    expect(await removeReleaseContainers([live.id])).toEqual([]);
    setReleaseStatus(live.id, "retired", { retiredAt: new Date() });
    deleteService(system, SERVICE);
    for (const engine of ENGINES) expect(await volumesOn(engine)).toContain(`${SERVICE}-data`);
  });
});

describe("a routed service with strategy recreate (demo-web behind it-web)", () => {
  const frontend = L.haproxy.frontends["it-web"]!;
  const serving = (version: string, release: number) =>
    until(
      `${frontend} serves ${version} from release ${release}`,
      async () => {
        const { versions, servers } = await sample(frontend, 6);
        return versions.size === 1 && versions.has(version) && [...servers].every((s) => s.startsWith(`r${release}-`)) ? true : undefined;
      },
      15_000,
      200,
    );

  it("HAProxy follows the new release on the same ports after a deploy, and the kept one after a rollback", async () => {
    createService(system, serviceSpec(ROUTED, { haproxy: { backend: "it-web" }, strategy: "recreate", stopGraceS: 1 }));
    await deploySucceeded(ROUTED, "1.0.0");
    await serving("1.0.0", 1);
    await deploySucceeded(ROUTED, "1.1.0");
    await serving("1.1.0", 2);
    const portsOfRelease = (n: number) => containersOfRelease(ROUTED, n).map((c) => `${c.engine}:${c.port}`);
    expect(portsOfRelease(2)).toEqual(portsOfRelease(1));
    expect(await switchTraffic(system, ROUTED, "rollback")).toMatchObject({ live: 1, standby: 2 });
    await serving("1.0.0", 1);
  });
});
