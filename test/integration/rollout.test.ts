/**
 * Rollouts against the real lab (engines alpha and beta) and an HAProxy of
 * this file's own (so it can be stopped): service `it-rollout`, live 1.0.0,
 * candidate 1.1.0 then 1.0.0 again, backends ro-web / ro-web-preview.
 *
 *  1. Inconclusive never promotes: with fewer requests than minRequests the
 *     last step's end pauses the rollout, Continue pauses it again, and only
 *     an operator's Promote switches; Pause and Continue keep the step's clock.
 *  2. A stand-in server (rolloutChild.ts) is SIGKILLed during a step; this
 *     process plays the restarted server (resumeOperations): the rollout goes
 *     on at the recorded step, its time left computed from the recorded step
 *     start, the share re-applied, and the gate measures again here.
 *  3. The same crash with HAProxy down at the restart: the gate cannot be
 *     evaluated, so the rollout aborts (share recorded 0 %, applied by the
 *     reconcile once HAProxy is back) and the live release serves.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRoute, ROOT, startPrivateHaproxy } from "./faultLab";
import { system, useTempDataDir } from "./lab";
import { removeContainersNamed, sleep, until } from "./releaseLab";

const SERVICE = "it-rollout";
const BACKEND = "ro-web";
const PREVIEW = "ro-web-preview";

const dataDir = useTempDataDir("rollout");
const hap = await startPrivateHaproxy(dataDir, [BACKEND, PREVIEW]);
process.env.SWITCHYARD_HAPROXY_SOCKET = hap.socket;

const { db } = await import("@/db/client");
const { events, operations, rolloutMeasurements, rollouts } = await import("@/db/schema");
const { addLabHosts, deploySucceeded, onHosts, person, serviceSpec } = await import("./fixtures");
const { createService, updateService } = await import("@/server/services/saveService");
const { serviceByName } = await import("@/server/services/serviceRows");
const { releaseByNumber, releaseWithStatus } = await import("@/server/releases/releaseRows");
const { operationWithSteps } = await import("@/server/operations/operationLog");
const { resumeOperations } = await import("@/server/operations/resumeOperations");
const { reconcileRouting } = await import("@/server/routing/reconcileRouting");
const { backendServers } = await import("@/server/haproxy/serverState");
const { applyBackend } = await import("@/server/haproxy/applyBackend");
const { activeContainersOf } = await import("@/server/releases/releaseRows");
const rolloutRoute = await import("@/app/api/services/[name]/rollout/route");
const pauseRoute = await import("@/app/api/services/[name]/rollout/pause/route");
const continueRoute = await import("@/app/api/services/[name]/rollout/continue/route");
const promoteRoute = await import("@/app/api/services/[name]/rollout/promote/route");
const abortRoute = await import("@/app/api/services/[name]/rollout/abort/route");

db();
const operator = person("ro-operator", "operator").token;
const params = { name: SERVICE };
const call = (handler: unknown) => callRoute(handler, operator, "GET", `/api/services/${SERVICE}/rollout`, undefined, params);
const post = (handler: unknown, verb: string) =>
  callRoute(handler, operator, "POST", `/api/services/${SERVICE}/rollout${verb}`, {}, params);

const svc = () => serviceByName(SERVICE);
const latestRollout = () => db().select().from(rollouts).orderBy(desc(rollouts.id)).get()!;
const opStatus = (id: number) => db().select().from(operations).where(eq(operations.id, id)).get()?.status;

/** The candidate's share of the weights HAProxy holds for the serving servers of the main backend, in percent. */
async function candidateWeightShare(): Promise<number> {
  const cand = releaseWithStatus(svc().id, "candidate");
  const names = new Set(cand ? activeContainersOf([cand.id]).map((c) => c.container.serverName) : []);
  const servers = (await backendServers(hap.socket, BACKEND)).filter((s) => s.adminState === "ready");
  const total = servers.reduce((a, s) => a + s.weight, 0);
  const c = servers.filter((s) => names.has(s.name)).reduce((a, s) => a + s.weight, 0);
  return total ? (c / total) * 100 : 0;
}

type Child = { proc: ChildProcess; lines: Record<string, unknown>[]; stderr: () => string; exited: Promise<NodeJS.Signals | null> };
const children: Child[] = [];
function spawnChild(): Child {
  const proc = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "test/integration/rolloutChild.ts", SERVICE], {
    cwd: ROOT,
    env: { ...process.env, SWITCHYARD_DATA_DIR: dataDir, SWITCHYARD_HAPROXY_SOCKET: hap.socket },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let err = "";
  proc.stdout!.setEncoding("utf8").on("data", (d: string) => {
    for (const line of d.split("\n").filter(Boolean)) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        err += `${line}\n`;
      }
    }
  });
  proc.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<NodeJS.Signals | null>((r) => proc.once("exit", (_code, signal) => r(signal)));
  const child = { proc, lines, stderr: () => err, exited };
  children.push(child);
  return child;
}

/** Starts a rollout in a stand-in server, waits until step 1 is applied and a second has passed, and SIGKILLs it. */
async function killDuringStep1(): Promise<{ opId: number; rolloutId: number }> {
  const child = spawnChild();
  const started = await until(
    "the child's rollout to start",
    () => {
      if (child.proc.exitCode !== null) throw new Error(`child exited ${child.proc.exitCode}: ${child.stderr()}`);
      const l = child.lines.find((x) => typeof x.started === "number");
      return l ? { opId: l.started as number, rolloutId: l.rollout as number } : undefined;
    },
    30_000,
  );
  await until(
    "step 1 applied by the child",
    () => (operationWithSteps(started.opId)?.steps.some((s) => s.name.startsWith("step 1/") && s.status === "done") ? true : undefined),
    15_000,
  );
  await sleep(1500);
  child.proc.kill("SIGKILL");
  expect(await child.exited, `the child exited by itself: ${child.stderr()}`).toBe("SIGKILL");
  return started;
}

const cleanUp = async () => {
  await removeContainersNamed(`${SERVICE}-r`);
};

beforeAll(async () => {
  await cleanUp();
  addLabHosts("alpha", "beta");
  createService(
    system,
    serviceSpec(SERVICE, {
      placement: onHosts("alpha"),
      haproxy: { backend: BACKEND, previewBackend: PREVIEW },
      rollout: { steps: [{ weight: 20, pauseS: 3 }], analysis: { minRequests: 1_000_000, windowS: 10 } },
    }),
  );
  await deploySucceeded(SERVICE, "1.0.0");
  await deploySucceeded(SERVICE, "1.1.0");
  expect(releaseByNumber(svc().id, 2).status).toBe("candidate");
}, 120_000);

afterAll(async () => {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
  await Promise.all(children.map((c) => c.exited));
  await cleanUp().catch((err) => console.error("[rollout] clean-up failed:", err));
  await hap.stop();
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("rollout against the real lab", () => {
  it("inconclusive never promotes: the step's end and Continue pause it; Pause/Continue keep the clock; only Promote switches", async () => {
    const start = await post(rolloutRoute.POST, "");
    expect(start.status, JSON.stringify(start.json)).toBe(202);
    const opId = start.json.operationId as number;
    await until("step 1 applied", () =>
      latestRollout().stepStartedAt &&
      opStatus(opId) === "running" &&
      operationWithSteps(opId)!.steps.some((s) => s.name.startsWith("step 1/1") && s.status === "done")
        ? true
        : undefined,
    );
    expect(await candidateWeightShare()).toBeCloseTo(20, 5);

    const paused = await post(pauseRoute.POST, "/pause");
    expect(paused.status, JSON.stringify(paused.json)).toBe(200);
    expect(paused.json.rollout).toMatchObject({ status: "paused", reason: "paused by ro-operator" });
    const frozen = paused.json.rollout.timeLeftMs as number;
    await sleep(1200);
    const view = await call(rolloutRoute.GET);
    expect(view.json.rollout.timeLeftMs, "time left is frozen while paused").toBe(frozen);
    const resumed = await post(continueRoute.POST, "/continue");
    expect(resumed.json.rollout.status).toBe("running");

    const inconclusive = await until(
      "the step's end to pause the rollout as inconclusive",
      () => {
        const r = latestRollout();
        return r.status === "paused" && r.reason?.startsWith("inconclusive") ? r : undefined;
      },
      15_000,
    );
    expect(inconclusive.reason).toContain("fewer than minRequests 1000000");
    await sleep(2500);
    expect(latestRollout().status).toBe("paused");
    expect(releaseByNumber(svc().id, 2).status, "inconclusive never promotes").toBe("candidate");
    expect(opStatus(opId)).toBe("running");

    const again = await post(continueRoute.POST, "/continue");
    expect(again.status).toBe(200);
    expect(again.json.rollout.status, "Continue at the last step with an inconclusive gate pauses again").toBe("paused");
    expect(releaseByNumber(svc().id, 2).status).toBe("candidate");
    const measured = db().select().from(rolloutMeasurements).where(eq(rolloutMeasurements.rolloutId, inconclusive.id)).all();
    expect(measured.length).toBeGreaterThan(0);
    expect(new Set(measured.map((m) => m.verdict))).toEqual(new Set(["inconclusive"]));

    // HAProxy lost its runtime servers while the rollout waits (a restart): reconcile re-applies the recorded 20 %.
    await applyBackend(hap.socket, BACKEND, []);
    expect(await candidateWeightShare()).toBe(0);
    await reconcileRouting();
    expect(await candidateWeightShare(), "the recorded share is back in HAProxy").toBeCloseTo(20, 5);
    expect(opStatus(opId), "the rollout still holds its operation").toBe("running");

    const promoted = await post(promoteRoute.POST, "/promote");
    expect(promoted.status, JSON.stringify(promoted.json)).toBe(200);
    expect(promoted.json.rollout.status).toBe("promoted");
    expect(releaseByNumber(svc().id, 2).status).toBe("live");
    expect(opStatus(opId)).toBe("succeeded");
    const ev = db().select().from(events).where(eq(events.action, "rollout.promote")).all();
    expect(ev.map((e) => e.actor)).toEqual(["ro-operator"]);
  }, 60_000);

  it("SIGKILL during a step: the restarted server resumes at the recorded step, time left from the recorded start", async () => {
    updateService(
      system,
      SERVICE,
      serviceSpec(SERVICE, {
        placement: onHosts("alpha"),
        haproxy: { backend: BACKEND, previewBackend: PREVIEW },
        rollout: {
          steps: [
            { weight: 10, pauseS: 60 },
            { weight: 50, manual: true },
          ],
          analysis: { minRequests: 1, windowS: 10 },
        },
      }),
    );
    await deploySucceeded(SERVICE, "1.0.0");
    const { opId, rolloutId } = await killDuringStep1();
    const before = latestRollout();
    expect(before).toMatchObject({ id: rolloutId, status: "running", stepIndex: 0 });

    await resumeOperations();
    const after = latestRollout();
    expect(after).toMatchObject({ status: "running", stepIndex: 0 });
    expect(after.stepStartedAt.getTime(), "the step's recorded start is kept").toBe(before.stepStartedAt.getTime());
    const note = operationWithSteps(opId)!.steps.find((s) => s.name.startsWith("resumed after a restart"));
    expect(note?.name).toMatch(/^resumed after a restart at step 1\/2 \(10 %\), (5[0-8]) s left$/);
    const view = await call(rolloutRoute.GET);
    expect(view.json.rollout.driven).toBe(true);
    expect(view.json.rollout.timeLeftMs).toBeLessThanOrEqual(60_000 - (Date.now() - before.stepStartedAt.getTime()) + 50);
    expect(view.json.rollout.timeLeftMs).toBeGreaterThan(45_000);
    expect(await candidateWeightShare()).toBeCloseTo(10, 5);
    const firstAfter = Date.now();
    await until(
      "a gate measurement taken by the restarted server",
      () =>
        db()
          .select()
          .from(rolloutMeasurements)
          .where(eq(rolloutMeasurements.rolloutId, rolloutId))
          .all()
          .find((m) => m.at.getTime() >= firstAfter),
      10_000,
    );

    const aborted = await post(abortRoute.POST, "/abort");
    expect(aborted.json.rollout).toMatchObject({ status: "aborted", reason: "aborted by ro-operator" });
    expect(opStatus(opId)).toBe("undone");
    expect(await candidateWeightShare()).toBe(0);
    const shift = db().select().from(events).where(eq(events.action, "release.shift")).orderBy(desc(events.id)).get();
    expect(shift?.message, "the abort's shift names the share it took away").toMatch(
      /at 0 % of the traffic .*was 10 %\): rollout #\d+ aborted/,
    );
    expect(JSON.parse(String(shift?.detail))).toMatchObject({ before: { percent: 10 }, after: { percent: 0 } });
  }, 90_000);

  it("SIGKILL during a step with HAProxy down at the restart: the gate cannot be evaluated, so the rollout aborts", async () => {
    const { opId, rolloutId } = await killDuringStep1();
    expect(await candidateWeightShare()).toBeCloseTo(10, 5);
    await hap.stop();
    try {
      await resumeOperations();
    } finally {
      await hap.start();
    }
    const r = latestRollout();
    expect(r).toMatchObject({ id: rolloutId, status: "aborted" });
    expect(r.reason).toMatch(/^interrupted by a server restart and the gate cannot be evaluated: HAProxy/);
    expect(opStatus(opId)).toBe("failed");
    expect(releaseWithStatus(svc().id, "candidate")?.trafficSharePercent, "0 % is recorded although HAProxy was down").toBe(0);
    const ev = db().select().from(events).where(eq(events.action, "rollout.abort")).orderBy(desc(events.id)).get();
    expect(ev?.message).toContain("gate cannot be evaluated");
    // HAProxy came back empty: the reconcile applies the record (live 100 %, candidate 0 %).
    await reconcileRouting();
    expect(await candidateWeightShare()).toBe(0);
    const live = releaseWithStatus(svc().id, "live")!;
    const liveServers = new Set(activeContainersOf([live.id]).map((c) => c.container.serverName));
    const serving = (await backendServers(hap.socket, BACKEND)).filter((s) => s.weight > 0 && s.adminState === "ready");
    expect(serving.map((s) => s.name).every((n) => liveServers.has(n)) && serving.length > 0).toBe(true);
  }, 90_000);
});
