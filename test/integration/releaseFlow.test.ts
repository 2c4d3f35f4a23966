/**
 * The release verbs against the real lab, no mocks: a service `it-web` on
 * alpha (unix socket) and beta (TCP+TLS), routed through the lab HAProxy's
 * `it-web` (http://127.0.0.1:18090) and `it-web-preview` (:18091) backends.
 * The tests run in order and build on each other: release numbers are fixed.
 *
 *   r1 1.0.0 live (first release) · r2 1.1.0 candidate → switch → rollback → retired
 *   r3 2.0.0 fails its gate · r4 redeploy of r1 · r5 deploy while a conflict is refused
 *   r6 deploy of a tag that later moves · r7 replay of r6 (original digest)
 *   r7 live, r8 1.1.0 live: r1 (older standby) retired by the switch
 */
import fs from "node:fs";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lab, labDocker, system, useTempDataDir } from "./lab";
import {
  ENGINES,
  deleteRegistryTag,
  expectServing,
  failuresOf,
  inspectOrNull,
  pushTag,
  registryDigest,
  requestLoops,
  sleep,
} from "./releaseLab";

const dataDir = useTempDataDir("release-flow");

const { db } = await import("@/db/client");
const { operations } = await import("@/db/schema");
const { AppError } = await import("@/server/errors");
const { addLabHosts, clearService, containersOfRelease, deployToEnd, haproxyStatRows, serviceSpec } = await import("./fixtures");
const { createService } = await import("@/server/services/saveService");
const { serviceByName } = await import("@/server/services/serviceRows");
const { deployRelease } = await import("@/server/releases/deployRelease");
const { switchTraffic } = await import("@/server/releases/switchTraffic");
const { retireStandby } = await import("@/server/releases/retireStandby");
const { releaseByNumber } = await import("@/server/releases/releaseRows");
const { operationWithSteps } = await import("@/server/operations/operationLog");
const { backendServers } = await import("@/server/haproxy/serverState");

const L = lab();
const SERVICE = "it-web";
const BACKEND = "it-web";
const PREVIEW_BACKEND = "it-web-preview";
const FRONT = L.haproxy.frontends["it-web"]!;
const PREVIEW = L.haproxy.frontends["it-web-preview"]!;
const SOCKET = L.haproxy.adminSocket;
const REPO = `${L.registry}/demo-web`;
const DIGEST = L.images["demo-web"]!;
const INFO = L.imageInfo["demo-web"]!;
const MOVED_TAG = `it-moved-${process.pid}`;

const serviceId = () => serviceByName(SERVICE).id;
const rel = (n: number) => releaseByNumber(serviceId(), n);

const containersOf = (n: number) => containersOfRelease(SERVICE, n);
const deploy = (kind: "deploy" | "redeploy", input: { image?: string; replayRelease?: number } | null) => deployToEnd(SERVICE, kind, input);
const haproxyView = () => haproxyStatRows(SOCKET, [BACKEND, PREVIEW_BACKEND]);

const serverNames = async (backend: string) => (await backendServers(SOCKET, backend)).map((s) => s.name).sort();

async function conflictOf(run: () => unknown): Promise<InstanceType<typeof AppError>> {
  try {
    await run();
  } catch (err) {
    return err as InstanceType<typeof AppError>;
  }
  throw new Error("expected a CONFLICT, the call succeeded");
}

const cleanUp = () => clearService(SERVICE, SOCKET);

beforeAll(async () => {
  await cleanUp(); // leftovers of an interrupted earlier run
  addLabHosts("alpha", "beta");
  createService(system, serviceSpec(SERVICE, { healthCheck: { gateTimeoutS: 6 } }));
});

afterAll(async () => {
  await cleanUp().catch((err) => console.error("[releaseFlow] clean-up failed:", err));
  await labDocker("alpha")
    .getImage(`${REPO}:${MOVED_TAG}`)
    .remove()
    .catch(() => undefined);
  deleteRegistryTag(L.labDir, "demo-web", MOVED_TAG);
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("release flow against the real lab (alpha unix + beta TLS, registry, HAProxy)", () => {
  it("deploys 1.0.0: the first release goes live by itself, served by both containers", async () => {
    const op = await deploy("deploy", { image: "1.0.0" });
    expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
    expect(op.steps.map((s) => s.status).every((s) => s === "done")).toBe(true);
    expect(op.steps.at(-1)?.name).toBe("go live (first release)");
    expect(rel(1)).toMatchObject({
      status: "live",
      imageRef: `${REPO}:1.0.0`,
      imageDigest: DIGEST["1.0.0"],
      imageId: INFO["1.0.0"]!.imageId,
    });

    await expectServing(FRONT, { versions: ["1.0.0"], servers: ["r1-alpha-1", "r1-beta-1"] }, haproxyView);
    expect(await serverNames(PREVIEW_BACKEND)).toEqual([]);
  });

  it("deploys 1.1.0 as a candidate: preview answers 1.1.0, main stays 1.0.0; pinned by digest on both engines", async () => {
    const op = await deploy("deploy", { image: "1.1.0" });
    expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
    expect(op.steps.map((s) => s.name)).not.toContain("switch traffic (automatic)");
    expect(rel(1).status).toBe("live");
    const r2 = rel(2);
    expect(r2).toMatchObject({
      status: "candidate",
      imageRef: `${REPO}:1.1.0`,
      imageDigest: DIGEST["1.1.0"],
      imageId: INFO["1.1.0"]!.imageId,
    });
    expect(r2.imageDigest).toMatch(new RegExp(`^${REPO.replace(/\./g, "\\.")}@sha256:[0-9a-f]{64}$`));

    await expectServing(FRONT, { versions: ["1.0.0"], servers: ["r1-alpha-1", "r1-beta-1"] }, haproxyView, { min: 50 });
    await expectServing(PREVIEW, { versions: ["1.1.0"], servers: ["r2-alpha-1", "r2-beta-1"] }, haproxyView, { min: 6 });

    const containers = containersOf(2);
    expect(containers.map((c) => c.engine).sort()).toEqual([...ENGINES]);
    for (const c of containers) {
      const info = await inspectOrNull(c.engine, c.dockerId!);
      expect(info, `${c.name} on ${c.engine}`).not.toBeNull();
      expect(info!.Name).toBe(`/${c.name}`);
      expect(info!.State.Running).toBe(true);
      expect(info!.Image).toBe(r2.imageId);
      expect(info!.Config.Image).toBe(r2.imageDigest);
      expect(info!.Config.Labels).toMatchObject({
        "io.switchyard.managed": "true",
        "io.switchyard.service": SERVICE,
        "io.switchyard.release": "2",
        "io.switchyard.slot": "green",
        "io.switchyard.digest": r2.imageDigest,
      });
    }
    for (const c of containersOf(1)) {
      expect((await inspectOrNull(c.engine, c.dockerId!))?.Config.Labels).toMatchObject({
        "io.switchyard.release": "1",
        "io.switchyard.slot": "blue",
      });
    }
  });

  it("switches traffic to 1.1.0 with zero failed requests during the switch", async () => {
    const loops = requestLoops(FRONT);
    await sleep(300);
    const switchStartedAt = Date.now();
    const result = await switchTraffic(system, SERVICE, "switch");
    const switchedAt = Date.now();
    await sleep(500);
    const samples = await loops.stop();

    expect(result).toMatchObject({ live: 2, standby: 1 });
    expect(failuresOf(samples)).toEqual([]);
    const before = samples.filter((s) => s.endedAt < switchStartedAt);
    expect(before.length).toBeGreaterThan(5);
    expect(before.filter((s) => s.body !== "1.0.0")).toEqual([]);
    const after = samples.filter((s) => s.startedAt >= switchedAt + 100);
    expect(after.length).toBeGreaterThan(5);
    expect(after.filter((s) => s.body !== "1.1.0")).toEqual([]);
    console.info(`[releaseFlow] switch took ${result.ms} ms; ${samples.length} requests during it, 0 failed`);

    await expectServing(FRONT, { versions: ["1.1.0"], servers: ["r2-alpha-1", "r2-beta-1"] }, haproxyView);
    expect(rel(2).status).toBe("live");
    expect(rel(1).status).toBe("standby");
    const states = new Map((await backendServers(SOCKET, BACKEND)).map((s) => [s.name, s]));
    expect(states.get("r2-alpha-1")).toMatchObject({ adminState: "ready", weight: 100, operational: "up" });
    expect(states.get("r1-beta-1")).toMatchObject({ adminState: "drain" });
    expect(await serverNames(PREVIEW_BACKEND)).toEqual([]);
  });

  it("rolls back to 1.0.0 with zero failed requests", async () => {
    const loops = requestLoops(FRONT);
    await sleep(200);
    const result = await switchTraffic(system, SERVICE, "rollback");
    await sleep(300);
    const samples = await loops.stop();
    expect(result).toMatchObject({ live: 1, standby: 2 });
    expect(failuresOf(samples)).toEqual([]);
    await expectServing(FRONT, { versions: ["1.0.0"], servers: ["r1-alpha-1", "r1-beta-1"] }, haproxyView);
    expect(rel(1).status).toBe("live");
    expect(rel(2).status).toBe("standby");
  });

  it("retires the standby: release 2's containers are gone from both engines and from HAProxy", async () => {
    const result = await retireStandby(system, SERVICE);
    expect(result.retired).toBe(2);
    expect(rel(2)).toMatchObject({ status: "retired" });
    expect(rel(2).retiredAt).not.toBeNull();
    for (const c of containersOf(2)) {
      expect(c.removedAt, c.name).not.toBeNull();
      expect(await inspectOrNull(c.engine, c.dockerId!), `${c.name} on ${c.engine}`).toBeNull();
    }
    expect(await serverNames(BACKEND)).toEqual(["r1-alpha-1", "r1-beta-1"]);
    await expectServing(FRONT, { versions: ["1.0.0"], servers: ["r1-alpha-1", "r1-beta-1"] }, haproxyView, { min: 6 });
  });

  it("a deploy of 2.0.0 fails its health gate: reason names /health, containers removed, 1.0.0 served throughout", async () => {
    const loops = requestLoops(FRONT);
    const started = Date.now();
    const op = await deploy("deploy", { image: "2.0.0" });
    const took = Date.now() - started;
    const samples = await loops.stop();

    expect(op.status).toBe("failed");
    expect(op.error).toContain("/health");
    expect(op.error).toMatch(/404/);
    const r3 = rel(3);
    expect(r3.status).toBe("failed");
    expect(r3.imageDigest).toBe(DIGEST["2.0.0"]);
    expect(r3.failureReason).toContain("/health");
    expect(op.steps.find((s) => s.name.startsWith("health gate"))?.status).toBe("failed");
    expect(op.steps.find((s) => s.name.startsWith("abort"))?.status).toBe("done");
    const containers = containersOf(3);
    expect(containers).toHaveLength(2);
    for (const c of containers) {
      expect(c.removedAt, c.name).not.toBeNull();
      expect(await inspectOrNull(c.engine, c.name), `${c.name} on ${c.engine}`).toBeNull();
    }
    expect(await serverNames(BACKEND)).toEqual(["r1-alpha-1", "r1-beta-1"]);
    expect(await serverNames(PREVIEW_BACKEND)).toEqual([]);

    expect(failuresOf(samples)).toEqual([]);
    expect(new Set(samples.map((s) => s.body))).toEqual(new Set(["1.0.0"]));
    console.info(`[releaseFlow] failed deploy took ${took} ms (gate 6 s); ${samples.length} requests to 1.0.0 meanwhile, 0 failed`);
  });

  it("redeploys the live release: same digest, new containers", async () => {
    const op = await deploy("redeploy", null);
    expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
    expect(op.steps[0]?.detail).toBe("redeploy of release 1");
    const [r1, r4] = [rel(1), rel(4)];
    expect(r4).toMatchObject({ status: "candidate", imageDigest: r1.imageDigest, imageId: r1.imageId, imageRef: r1.imageRef });
    const oldIds = new Set(containersOf(1).map((c) => c.dockerId));
    const fresh = containersOf(4);
    expect(fresh).toHaveLength(2);
    for (const c of fresh) {
      expect(oldIds.has(c.dockerId)).toBe(false);
      const info = await inspectOrNull(c.engine, c.dockerId!);
      expect(info?.State.Running).toBe(true);
      expect(info?.Image).toBe(r1.imageId);
    }
    await expectServing(PREVIEW, { versions: ["1.0.0"], servers: ["r4-alpha-1", "r4-beta-1"] }, haproxyView, { min: 6 });
    await expectServing(FRONT, { versions: ["1.0.0"], servers: ["r1-alpha-1", "r1-beta-1"] }, haproxyView, { min: 6 });
  });

  it("refuses a second operation while one runs, with a 409 naming the running one", async () => {
    const first = deployRelease(system, SERVICE, "deploy", { image: "1.1.0" });
    try {
      const running = new RegExp(`${SERVICE}: deploy #${first.operationId} by ${system.username} is in progress`);
      const attempts = [
        await conflictOf(() => deployRelease(system, SERVICE, "deploy", { image: "1.0.0" })),
        await conflictOf(() => deployRelease(system, SERVICE, "redeploy", null)),
        await conflictOf(() => switchTraffic(system, SERVICE, "switch")),
        await conflictOf(() => switchTraffic(system, SERVICE, "rollback")),
        await conflictOf(() => retireStandby(system, SERVICE)),
      ];
      for (const err of attempts) {
        expect(err).toBeInstanceOf(AppError);
        expect(err.code).toBe("CONFLICT");
        expect(err.message).toMatch(running);
      }
      const running_ = db()
        .select()
        .from(operations)
        .where(and(eq(operations.serviceId, serviceId()), eq(operations.status, "running")))
        .all();
      expect(running_.map((o) => o.id)).toEqual([first.operationId]);
    } finally {
      await first.done;
    }
    const op = operationWithSteps(first.operationId)!;
    expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
    // The new deploy replaced the redeploy's candidate.
    expect(op.steps.map((s) => s.name)).toContain("discard candidate release 4");
    expect(rel(4).status).toBe("retired");
    for (const c of containersOf(4)) expect(await inspectOrNull(c.engine, c.dockerId!)).toBeNull();
    expect(rel(5)).toMatchObject({ status: "candidate", imageDigest: DIGEST["1.1.0"] });
  });

  it("replays a release by its recorded digest after its tag moved", async () => {
    await pushTag("alpha", `${REPO}:1.0.0`, REPO, MOVED_TAG);
    expect(await registryDigest(L.registry, "demo-web", MOVED_TAG)).toBe(DIGEST["1.0.0"]!.split("@")[1]);
    const first = await deploy("deploy", { image: MOVED_TAG });
    expect(first.status, JSON.stringify(first.steps)).toBe("succeeded");
    const r6 = rel(6);
    expect(r6).toMatchObject({ status: "candidate", imageRef: `${REPO}:${MOVED_TAG}`, imageDigest: DIGEST["1.0.0"] });

    // The tag moves to another version.
    await pushTag("alpha", `${REPO}:1.1.0`, REPO, MOVED_TAG);
    expect(await registryDigest(L.registry, "demo-web", MOVED_TAG)).toBe(DIGEST["1.1.0"]!.split("@")[1]);

    const replay = await deploy("deploy", { replayRelease: 6 });
    expect(replay.status, JSON.stringify(replay.steps)).toBe("succeeded");
    expect(replay.steps[0]?.detail).toBe(`replay of release 6 (${REPO})`);
    const r7 = rel(7);
    expect(r7).toMatchObject({ status: "candidate", imageRef: r6.imageRef, imageDigest: r6.imageDigest, imageId: INFO["1.0.0"]!.imageId });
    expect(JSON.parse(r7.spec)).toEqual(JSON.parse(r6.spec));
    for (const c of containersOf(7)) {
      const info = await inspectOrNull(c.engine, c.dockerId!);
      expect(info?.Config.Image).toBe(DIGEST["1.0.0"]);
      expect(info?.Image).toBe(INFO["1.0.0"]!.imageId);
    }
    await expectServing(PREVIEW, { versions: ["1.0.0"], servers: ["r7-alpha-1", "r7-beta-1"] }, haproxyView, { min: 6 });
    expect(rel(6).status).toBe("retired");
  });

  it("a switch while a standby exists retires that older standby and removes its containers; slots alternate", async () => {
    expect(await switchTraffic(system, SERVICE, "switch")).toMatchObject({ live: 7, standby: 1 });
    const op = await deploy("deploy", { image: "1.1.0" });
    expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
    expect(rel(8).status).toBe("candidate");

    const loops = requestLoops(FRONT);
    await sleep(200);
    const result = await switchTraffic(system, SERVICE, "switch");
    await sleep(300);
    const samples = await loops.stop();
    expect(result).toMatchObject({ live: 8, standby: 7 });
    expect(failuresOf(samples)).toEqual([]);

    expect([rel(1).status, rel(7).status, rel(8).status]).toEqual(["retired", "standby", "live"]);
    for (const c of containersOf(1)) {
      expect(c.removedAt, c.name).not.toBeNull();
      expect(await inspectOrNull(c.engine, c.dockerId!), `${c.name} on ${c.engine}`).toBeNull();
    }
    expect(await serverNames(BACKEND)).toEqual(["r7-alpha-1", "r7-beta-1", "r8-alpha-1", "r8-beta-1"]);
    await expectServing(FRONT, { versions: ["1.1.0"], servers: ["r8-alpha-1", "r8-beta-1"] }, haproxyView);
    const slot = async (n: number) =>
      new Set(
        await Promise.all(
          containersOf(n).map(async (c) => (await inspectOrNull(c.engine, c.dockerId!))?.Config.Labels["io.switchyard.slot"]),
        ),
      );
    expect(await slot(7)).toEqual(new Set(["green"]));
    expect(await slot(8)).toEqual(new Set(["blue"]));
  });
});
