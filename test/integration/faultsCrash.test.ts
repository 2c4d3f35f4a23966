/**
 * Fault: the dashboard SIGKILLed at every step of a deploy, a switch and a
 * quarantine destruct, against the real lab (engines alpha and beta) and an
 * HAProxy of this file's own. Each case runs the operation in a stand-in
 * dashboard (faultChild.ts, the same server code in its own process), which
 * stops dead at one exact point: a step recorded running or done in
 * operation_steps (and the recorded points in between: a release inserted, a
 * switch committed, a container created but not recorded, an HAProxy change
 * made or not, a quarantine claimed / its bundle written / its container
 * stopped / removed). It is SIGKILLed there; this process then plays the
 * restarted dashboard (quarantine timers, resumeOperations, the first
 * reconcile: what startBackgroundJobs runs) and checks that nothing is lost:
 *
 *   - the operation is completed or undone, no step is left running, and the
 *     release log (GET /api/events) has the recovery.* event saying which;
 *   - every container on the engines labelled for the service is an active
 *     release_containers row and vice versa (nothing orphaned, nothing
 *     dangling), and routed releases' containers run;
 *   - HAProxy holds exactly what SQLite recorded, and the frontend serves the
 *     recorded live release from its containers (the preview: the candidate).
 *
 * Service `flt-crash`, one replica on alpha and one on beta; private HAProxy
 * backends flt-crash / flt-crash-preview.
 */
import fs from "node:fs";
import path from "node:path";
import { and, desc, eq, gt, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accountingProblems as accountingOf,
  adminGate,
  callRoute,
  childPool,
  startPrivateHaproxy,
  type ChildCommand,
  type PausePlan,
} from "./faultLab";
import { labDocker, system, useTempDataDir } from "./lab";
import { ENGINES, expectServing, inspectOrNull, removeContainersNamed, type Engine } from "./releaseLab";

const SERVICE = "flt-crash";
const BACKEND = "flt-crash";
const PREVIEW = "flt-crash-preview";

const dataDir = useTempDataDir("faults-crash");
const hap = await startPrivateHaproxy(dataDir, [BACKEND, PREVIEW]);
process.env.SWITCHYARD_HAPROXY_SOCKET = hap.socket;

const { db } = await import("@/db/client");
const { events, hosts, operations, operationSteps, quarantines, releaseContainers, releases } = await import("@/db/schema");
const { addLabHosts, demoVersions, deploySucceeded, person, serviceSpec } = await import("./fixtures");
const { createService, updateService } = await import("@/server/services/saveService");
const { serviceByName, specOf } = await import("@/server/services/serviceRows");
const { activeContainersOf, nextReleaseNumber, releaseWithStatus } = await import("@/server/releases/releaseRows");
const { operationWithSteps } = await import("@/server/operations/operationLog");
const { resumeOperations } = await import("@/server/operations/resumeOperations");
const { reconcileRouting } = await import("@/server/routing/reconcileRouting");
const { applyServiceRouting } = await import("@/server/routing/applyServiceRouting");
const { applyBackend } = await import("@/server/haproxy/applyBackend");
const { backendServers } = await import("@/server/haproxy/serverState");
const { runQuarantineTimers } = await import("@/server/quarantine/quarantineTimers");
const { quarantineContainer } = await import("@/server/quarantine/quarantineContainer");
const { switchTraffic } = await import("@/server/releases/switchTraffic");
const eventsRoute = await import("@/app/api/events/route");
const operationRoute = await import("@/app/api/operations/[id]/route");

db(); // migrations run here, before any stand-in dashboard opens the file
const { versionOf } = demoVersions();
const FRONT = hap.front(BACKEND);
const PREVIEW_FRONT = hap.front(PREVIEW);
const gate = await adminGate(hap.socket, path.join(dataDir, "gate.sock"));
const pool = childPool({ SWITCHYARD_DATA_DIR: dataDir, SWITCHYARD_HAPROXY_SOCKET: gate.file });

const viewerToken = person("flt-viewer", "viewer").token;

const svc = () => serviceByName(SERVICE);
const live = () => releaseWithStatus(svc().id, "live");
const candidate = () => releaseWithStatus(svc().id, "candidate");
const other = (v: string) => (v === "1.0.0" ? "1.1.0" : "1.0.0");
const maxOpId = () => db().select({ id: operations.id }).from(operations).orderBy(desc(operations.id)).get()?.id ?? 0;
const stepProbe = (opAfter: number, prefix: string, status: "running" | "done") => ({
  sql: "select id from operation_steps where operation_id > ? and name like ? and status = ?",
  params: [opAfter, `${prefix}%`, status],
});
const stepRunning = (opAfter: number, prefix: string) =>
  Boolean(
    db()
      .select({ id: operationSteps.id })
      .from(operationSteps)
      .where(and(gt(operationSteps.operationId, opAfter), like(operationSteps.name, `${prefix}%`), eq(operationSteps.status, "running")))
      .get(),
  );

/** What the restarted dashboard does first (startBackgroundJobs): timers, resume, the first reconcile. */
async function restart() {
  await runQuarantineTimers({ wait: true });
  await resumeOperations();
  await reconcileRouting();
}

const accountingProblems = () => accountingOf(SERVICE, { alpha: labDocker("alpha"), beta: labDocker("beta") });

/** The invariants after every restart. Returns the live version. */
async function expectNothingLost(context: string): Promise<string> {
  const s = svc();
  const running = db()
    .select()
    .from(operations)
    .where(and(eq(operations.serviceId, s.id), eq(operations.status, "running")))
    .all();
  expect(running, `${context}: operations still running`).toEqual([]);
  const openSteps = db()
    .select({ op: operationSteps.operationId, name: operationSteps.name })
    .from(operationSteps)
    .where(eq(operationSteps.status, "running"))
    .all();
  expect(openSteps, `${context}: steps left running`).toEqual([]);
  const statuses = db().select({ n: releases.number, status: releases.status }).from(releases).where(eq(releases.serviceId, s.id)).all();
  expect(
    statuses.filter((r) => r.status === "live"),
    `${context}: ${JSON.stringify(statuses)}`,
  ).toHaveLength(1);
  expect(
    statuses.filter((r) => r.status === "deploying" || r.status === "candidate").length,
    `${context}: ${JSON.stringify(statuses)}`,
  ).toBeLessThanOrEqual(1);
  expect(
    statuses.filter((r) => r.status === "deploying"),
    `${context}: a release left deploying`,
  ).toEqual([]);
  expect(await accountingProblems(), context).toEqual([]);
  // HAProxy holds what SQLite recorded: re-applying it changes nothing.
  expect(await applyServiceRouting(s.id, specOf(s)), `${context}: HAProxy differed from the record`).toEqual([]);
  const l = live()!;
  const version = versionOf(l.imageDigest);
  const servers = activeContainersOf([l.id])
    .filter((c) => !c.container.quarantinedAt)
    .map((c) => c.container.serverName);
  await expectServing(FRONT, { versions: [version], servers }, () => hap.view(BACKEND, PREVIEW));
  const cand = candidate();
  if (cand) {
    const cs = activeContainersOf([cand.id]).map((c) => c.container.serverName);
    await expectServing(PREVIEW_FRONT, { versions: [versionOf(cand.imageDigest)], servers: cs }, () => hap.view(BACKEND, PREVIEW));
  } else {
    expect(await backendServers(hap.socket, PREVIEW)).toEqual([]);
  }
  return version;
}

/** The release log, through the API: the recovery event of an operation. */
async function recoveryEvents(kind: string, opId: number) {
  const res = await callRoute(eventsRoute.GET, viewerToken, "GET", `/api/events?service=${SERVICE}&action=recovery.${kind}`);
  expect(res.status).toBe(200);
  return (res.json.events as { message: string; outcome: string }[]).filter((e) => e.message.includes(`#${opId} `));
}

type HaproxyHold = { match: (command: string) => boolean; mode: "before" | "after" };

type How = {
  pause?: PausePlan;
  haproxy?: HaproxyHold;
  /** Checks that the crash left the state the case is about (before the restart). */ atCrash?: () => Promise<void> | void;
};

async function crashAndRestart(
  cmd: ChildCommand,
  how: How,
): Promise<{ op: NonNullable<ReturnType<typeof operationWithSteps>>; where: string; restartMs: number }> {
  const r = await crash(cmd, how, true);
  return r as typeof r & { op: NonNullable<typeof r.op> };
}

/**
 * Runs `cmd` in a warm stand-in dashboard until it pauses (or HAProxy holds
 * its command), SIGKILLs it, restarts, and returns the cut-off operation.
 */
async function crash(cmd: ChildCommand, how: How, isOperation: boolean) {
  const opBefore = maxOpId();
  const child = await pool.take();
  const held = how.haproxy
    ? gate.arm(how.haproxy.match, how.haproxy.mode).then((c) => `HAProxy held "${c}" (${how.haproxy!.mode})`)
    : new Promise<string>(() => undefined);
  child.send({ ...cmd, pause: how.pause });
  const ended = Promise.race([child.line("finished", 90_000), child.line("failed", 90_000)]).then((l) => {
    throw new Error(`the operation ended without reaching the crash point: ${JSON.stringify(l)}\n${child.output()}`);
  });
  ended.catch(() => undefined);
  const where = await Promise.race([child.line("paused", 90_000).then((l) => `paused: ${String(l.paused)}`), held, ended]);
  await child.kill();
  gate.disarm();
  expect((await child.exited).signal, child.output()).toBe("SIGKILL");
  const op = db()
    .select()
    .from(operations)
    .where(and(eq(operations.serviceId, svc().id), gt(operations.id, opBefore)))
    .orderBy(desc(operations.id))
    .get();
  if (isOperation) {
    expect(op, `no operation was begun before the crash (${where})`).toBeDefined();
    expect(op!.status, `${where}: the crash should leave the operation running`).toBe("running");
  }
  await how.atCrash?.();
  const t0 = Date.now();
  await restart();
  if (!op) return { op: undefined, where, restartMs: Date.now() - t0 };
  const after = operationWithSteps(op.id)!;
  const viaApi = await callRoute(operationRoute.GET, viewerToken, "GET", `/api/operations/${op.id}`, undefined, { id: String(op.id) });
  expect(viaApi.json.operation.status).toBe(after.status);
  return { op: after, where, restartMs: Date.now() - t0 };
}

const deployHere = (image: string) => deploySucceeded(SERVICE, image);

async function ensureCandidate() {
  if (!candidate()) await deployHere(other(versionOf(live()!.imageDigest)));
}

function setAutoSwitch(on: boolean) {
  updateService(system, SERVICE, { ...specOf(svc()), autoSwitch: on });
}

async function cleanUp() {
  await removeContainersNamed(`${SERVICE}-r`);
  await applyBackend(hap.socket, BACKEND, []).catch(() => undefined);
  await applyBackend(hap.socket, PREVIEW, []).catch(() => undefined);
}

const timings: string[] = [];

beforeAll(async () => {
  await cleanUp();
  addLabHosts("alpha", "beta");
  createService(system, serviceSpec(SERVICE, { healthCheck: { intervalMs: 150 } }));
  await deployHere("1.0.0");
  expect(live()?.number).toBe(1);
});

afterAll(async () => {
  console.info(`[faultsCrash] ${timings.length} crashes:\n  ${timings.join("\n  ")}`);
  await pool.closeAll();
  await gate.close();
  await cleanUp().catch((err) => console.error("[faultsCrash] clean-up failed:", err));
  await hap.stop();
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type DeployCase = {
  name: string;
  autoSwitch?: boolean;
  /** Deploy a candidate first: this deploy discards it (kept if killed before the discard did anything). */
  withCandidate?: "kept" | "discarded";
  /** Where the stand-in dashboard is killed; `n` is the new release's number, `op` the last operation id before it. */
  at: (ctx: { n: number; op: number }) => How;
  /** undone: the live release (and any candidate) as before; candidate / live: the new release completed to that state. */
  outcome: "undone" | "candidate" | "live";
};

const dbPause = (when: "before" | "after", probe: { sql: string; params: (string | number)[] }, label: string): PausePlan => ({
  kind: "db",
  when,
  ...probe,
  label,
});
const engineCall = (when: "before" | "after", method: string, pathRe: string, label: string): PausePlan => ({
  kind: "dial",
  when,
  method,
  path: pathRe,
  label,
});

const DEPLOY_CASES: DeployCase[] = [
  {
    name: "'resolve image digest' recorded running",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "resolve image digest", "running"), "resolve running") }),
    outcome: "undone",
  },
  {
    name: "'resolve image digest' recorded done",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "resolve image digest", "done"), "resolve done") }),
    outcome: "undone",
  },
  {
    // One transaction (release row + the operation's link to it): killed inside it, neither remains.
    name: "the release being recorded",
    at: ({ n }) => ({
      pause: dbPause(
        "before",
        { sql: "select id from releases where service_id = ? and number = ?", params: [svc().id, n] },
        "release inserted, not committed",
      ),
    }),
    outcome: "undone",
  },
  {
    name: "the release recorded and linked to its operation",
    at: ({ op }) => ({
      pause: dbPause(
        "before",
        { sql: "select id from operations where id > ? and release_id is not null", params: [op] },
        "release recorded",
      ),
    }),
    outcome: "undone",
  },
  {
    name: "'discard candidate' recorded running",
    withCandidate: "kept",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "discard candidate", "running"), "discard running") }),
    outcome: "undone",
  },
  {
    name: "'discard candidate': its containers being removed",
    withCandidate: "discarded",
    at: () => ({
      pause: engineCall(
        "before",
        "POST",
        `^/containers/(${activeContainersOf([candidate()!.id])
          .map((c) => c.container.dockerId)
          .join("|")})/stop`,
        "stopping the discarded candidate",
      ),
    }),
    outcome: "undone",
  },
  {
    name: "'pull' recorded running",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "pull ", "running"), "pull running") }),
    outcome: "undone",
  },
  {
    name: "'pull' recorded done",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "pull ", "done"), "pull done") }),
    outcome: "undone",
  },
  {
    name: "'start containers' recorded running",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "start containers", "running"), "start running") }),
    outcome: "undone",
  },
  {
    name: "'start containers': a container row written, the engine not asked yet",
    at: ({ n }) => ({
      pause: dbPause(
        "after",
        {
          sql: "select c.id from release_containers c join releases r on r.id = c.release_id where r.service_id = ? and r.number = ?",
          params: [svc().id, n],
        },
        "container row inserted",
      ),
    }),
    outcome: "undone",
  },
  {
    name: "'start containers': a container created on the engine, its id not recorded",
    at: ({ n }) => ({
      pause: engineCall("after", "POST", "^/containers/create", "created, id unrecorded"),
      atCrash: async () => {
        const rows = db()
          .select({ c: releaseContainers, host: hosts.name })
          .from(releaseContainers)
          .innerJoin(releases, eq(releases.id, releaseContainers.releaseId))
          .innerJoin(hosts, eq(hosts.id, releaseContainers.hostId))
          .where(and(eq(releases.serviceId, svc().id), eq(releases.number, n)))
          .all();
        const unrecorded = rows.filter((r) => r.c.dockerId === null);
        expect(unrecorded.length, JSON.stringify(rows)).toBeGreaterThan(0);
        const found = await Promise.all(unrecorded.map((r) => inspectOrNull(r.host as Engine, r.c.name)));
        expect(
          found.some((f) => f !== null),
          "a container the record has no id for exists on its engine",
        ).toBe(true);
      },
    }),
    outcome: "undone",
  },
  {
    name: "'start containers': a container created and recorded, not started",
    at: () => ({ pause: engineCall("before", "POST", "^/containers/[0-9a-f]{64}/start", "created, not started") }),
    outcome: "undone",
  },
  {
    name: "'start containers' recorded done",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "start containers", "done"), "start done") }),
    outcome: "undone",
  },
  {
    name: "'health gate' recorded running",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "health gate", "running"), "gate running") }),
    outcome: "undone",
  },
  {
    name: "'health gate' recorded done",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "health gate", "done"), "gate done") }),
    outcome: "undone",
  },
  {
    name: "'register in HAProxy as preview' recorded running",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "register in HAProxy", "running"), "register running") }),
    outcome: "undone",
  },
  {
    name: "'register in HAProxy as preview': the candidate recorded, its first server not yet added",
    at: ({ n }) => ({ haproxy: { match: (c) => c.startsWith(`add server ${BACKEND}/r${n}-`), mode: "before" } }),
    outcome: "candidate",
  },
  {
    name: "'register in HAProxy as preview': one server added, HAProxy's answer not seen",
    at: ({ n }) => ({
      haproxy: { match: (c) => c.startsWith(`add server ${BACKEND}/r${n}-`), mode: "after" },
      atCrash: async () => expect((await backendServers(hap.socket, BACKEND)).some((x) => x.name.startsWith(`r${n}-`))).toBe(true),
    }),
    outcome: "candidate",
  },
  {
    name: "'register in HAProxy as preview' recorded done",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "register in HAProxy", "done"), "register done") }),
    outcome: "candidate",
  },
  {
    name: "autoSwitch: 'switch traffic (automatic)' recorded running",
    autoSwitch: true,
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "switch traffic (automatic)", "running"), "go live running") }),
    outcome: "live",
  },
  {
    name: "autoSwitch: the switch committed, HAProxy not changed yet",
    autoSwitch: true,
    at: ({ n, op }) => ({
      haproxy: {
        match: (c) =>
          stepRunning(op, "switch traffic (automatic)") && c.startsWith(`set server ${BACKEND}/r${n}-`) && c.endsWith(" weight 100"),
        mode: "before",
      },
    }),
    outcome: "live",
  },
  {
    name: "autoSwitch: the new servers serving, the old ones not yet drained",
    autoSwitch: true,
    at: ({ n, op }) => ({
      haproxy: {
        match: (c) =>
          stepRunning(op, "switch traffic (automatic)") &&
          c.startsWith(`set server ${BACKEND}/r`) &&
          !c.startsWith(`set server ${BACKEND}/r${n}-`) &&
          c.endsWith(" state drain"),
        mode: "before",
      },
    }),
    outcome: "live",
  },
  {
    name: "autoSwitch: 'switch traffic (automatic)' recorded done",
    autoSwitch: true,
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "switch traffic (automatic)", "done"), "go live done") }),
    outcome: "live",
  },
];

describe("SIGKILL at every step of a deploy", () => {
  for (const c of DEPLOY_CASES) {
    it(`${c.name}: ${c.outcome === "undone" ? "undone" : `completed (${c.outcome})`} after the restart, nothing lost`, async () => {
      if (c.withCandidate) await ensureCandidate();
      if (Boolean(specOf(svc()).autoSwitch) !== Boolean(c.autoSwitch)) setAutoSwitch(Boolean(c.autoSwitch));
      const before = { live: live()!, candidate: candidate() };
      const image = other(versionOf(before.live.imageDigest));
      const n = nextReleaseNumber(svc().id);
      const { op, where, restartMs } = await crashAndRestart({ verb: "deploy", service: SERVICE, image }, c.at({ n, op: maxOpId() }));
      timings.push(`deploy · ${c.name}: ${where}; restart ${restartMs} ms → ${op.status}`);

      const recovered = await recoveryEvents("deploy", op.id);
      expect(recovered, JSON.stringify(op)).toHaveLength(1);
      expect(recovered[0]!.outcome).toBe("ok");
      if (c.outcome === "undone") {
        expect(op.status, JSON.stringify(op.steps)).toBe("undone");
        expect(recovered[0]!.message).toMatch(/was undone|before it created anything/);
        expect(live()!.id).toBe(before.live.id);
        if (c.withCandidate === "kept") expect(candidate()?.id).toBe(before.candidate!.id);
        if (before.candidate && candidate()?.id !== before.candidate.id) {
          expect(c.withCandidate).not.toBe("kept");
          expect(db().select().from(releases).where(eq(releases.id, before.candidate.id)).get()).toMatchObject({
            status: "retired",
            failureReason: expect.stringContaining("replaced by a newer deploy"),
          });
        }
        const mine = db()
          .select()
          .from(releases)
          .where(and(eq(releases.serviceId, svc().id), eq(releases.number, n)))
          .get();
        if (mine) expect(mine).toMatchObject({ status: "failed", failureReason: expect.stringContaining("interrupted") });
      } else {
        expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
        expect(recovered[0]!.message).toMatch(/completed/);
        expect((c.outcome === "live" ? live() : candidate())?.number).toBe(n);
        if (c.outcome === "candidate") expect(live()!.id).toBe(before.live.id);
      }
      const version = await expectNothingLost(c.name);
      expect(version).toBe(c.outcome === "live" ? image : versionOf(before.live.imageDigest));
    });
  }
});

type SwitchCase = {
  name: string;
  /** A standby must exist before the switch (the switch retires it). */
  withStandby?: boolean;
  at: (ctx: { cand: number; candId: number; op: number; standbyIds: string[]; liveNumber: number }) => How;
  outcome: "undone" | "completed";
};

const SWITCH_CASES: SwitchCase[] = [
  {
    name: "the operation begun, no step recorded yet",
    at: ({ op }) => ({
      pause: dbPause("before", { sql: "select id from operations where id > ? and kind = 'switch'", params: [op] }, "switch begun"),
    }),
    outcome: "undone",
  },
  {
    name: "'record: release N live' recorded running (not committed)",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "record: release", "running"), "record running") }),
    outcome: "undone",
  },
  {
    // The commit is one SQLite transaction; the step is marked done by the next statement.
    name: "the switch committed in SQLite, its step not yet marked done",
    at: ({ candId, op }) => ({
      pause: dbPause("before", { sql: "select id from releases where id = ? and status = 'live'", params: [candId] }, "switch committed"),
      atCrash: () => {
        expect(db().select().from(releases).where(eq(releases.id, candId)).get()!.status).toBe("live");
        expect(stepRunning(op, "record: release"), "the record step still says running").toBe(true);
      },
    }),
    outcome: "completed",
  },
  {
    name: "'record: release N live' recorded done",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "record: release", "done"), "record done") }),
    outcome: "completed",
  },
  {
    name: "'apply routing in HAProxy' recorded running",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "apply routing in HAProxy", "running"), "routing running") }),
    outcome: "completed",
  },
  {
    name: "'apply routing': the new servers get their weight (held before HAProxy made it)",
    at: ({ cand }) => ({
      haproxy: { match: (c) => c.startsWith(`set server ${BACKEND}/r${cand}-`) && c.endsWith(" weight 100"), mode: "before" },
    }),
    outcome: "completed",
  },
  {
    name: "'apply routing': the new servers serving, the old ones not yet drained",
    at: ({ liveNumber }) => ({
      haproxy: { match: (c) => c.startsWith(`set server ${BACKEND}/r${liveNumber}-`) && c.endsWith(" state drain"), mode: "before" },
    }),
    outcome: "completed",
  },
  {
    name: "'apply routing': the old servers drained, HAProxy's answer not seen",
    at: ({ liveNumber }) => ({
      haproxy: { match: (c) => c.startsWith(`set server ${BACKEND}/r${liveNumber}-`) && c.endsWith(" state drain"), mode: "after" },
    }),
    outcome: "completed",
  },
  {
    name: "'apply routing': the retired standby's containers being removed",
    withStandby: true,
    at: ({ standbyIds }) => ({
      pause: engineCall("before", "POST", `^/containers/(${standbyIds.join("|")})/stop`, "stopping the retired standby"),
    }),
    outcome: "completed",
  },
  {
    name: "'apply routing in HAProxy' recorded done",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "apply routing in HAProxy", "done"), "routing done") }),
    outcome: "completed",
  },
];

describe("SIGKILL at every step of a switch", () => {
  beforeAll(() => {
    if (specOf(svc()).autoSwitch) setAutoSwitch(false);
  });

  for (const c of SWITCH_CASES) {
    it(`${c.name}: ${c.outcome} after the restart, nothing lost`, async () => {
      if (c.withStandby && !releaseWithStatus(svc().id, "standby")) {
        await ensureCandidate();
        await switchTraffic(system, SERVICE, "switch");
      }
      await ensureCandidate();
      const before = { live: live()!, candidate: candidate()!, standby: releaseWithStatus(svc().id, "standby") };
      const standbyIds = before.standby ? activeContainersOf([before.standby.id]).map((x) => x.container.dockerId!) : [];
      if (c.withStandby) expect(standbyIds.length).toBeGreaterThan(0);
      const { op, where, restartMs } = await crashAndRestart(
        { verb: "switch", service: SERVICE },
        c.at({ cand: before.candidate.number, candId: before.candidate.id, op: maxOpId(), standbyIds, liveNumber: before.live.number }),
      );
      timings.push(`switch · ${c.name}: ${where}; restart ${restartMs} ms → ${op.status}`);

      const recovered = await recoveryEvents("switch", op.id);
      expect(recovered, JSON.stringify(op)).toHaveLength(1);
      expect(recovered[0]!.outcome).toBe("ok");
      const rel = (id: number) => db().select().from(releases).where(eq(releases.id, id)).get()!;
      if (c.outcome === "undone") {
        expect(op.status, JSON.stringify(op.steps)).toBe("undone");
        expect(recovered[0]!.message).toMatch(/before it changed anything/);
        expect(live()!.id).toBe(before.live.id);
        expect(candidate()?.id).toBe(before.candidate.id);
      } else {
        expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
        expect(recovered[0]!.message).toMatch(/completed/);
        expect(live()!.id).toBe(before.candidate.id);
        expect(rel(before.live.id).status).toBe("standby");
        if (before.standby) expect(rel(before.standby.id).status).toBe("retired");
      }
      const version = await expectNothingLost(c.name);
      expect(version).toBe(versionOf((c.outcome === "undone" ? before.live : before.candidate).imageDigest));
      const switches = db()
        .select()
        .from(events)
        .where(and(eq(events.serviceName, SERVICE), eq(events.action, "release.switch"), gt(events.id, 0)))
        .all();
      expect(switches.filter((e) => e.outcome === "failed")).toEqual([]);
    });
  }
});

type QuarantineCase = {
  name: string;
  at: (ctx: { op: number; server: string }) => How;
  /**
   * undone: nothing was recorded (the container stays in traffic); otherwise the container is kept
   * quarantined, with its replacement when that passed its health gate (its step recorded done).
   */
  outcome: "undone" | "no replacement" | "replacement kept";
};

const QUARANTINE_CASES: QuarantineCase[] = [
  {
    // One transaction (quarantine row + container marked): killed inside it, neither remains.
    name: "the quarantine being recorded",
    at: ({ op }) => ({ pause: dbPause("before", { sql: "select id from quarantines where operation_id > ?", params: [op] }, "recording") }),
    outcome: "undone",
  },
  {
    name: "the container marked quarantined, no step recorded yet",
    at: ({ op }) => ({
      pause: dbPause(
        "before",
        { sql: "select id from quarantines where operation_id > ? and quarantined_name like '%-quarantined-%'", params: [op] },
        "marked",
      ),
    }),
    outcome: "no replacement",
  },
  {
    name: "'take out of traffic' recorded running",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "take ", "running"), "out running") }),
    outcome: "no replacement",
  },
  {
    name: "'take out of traffic': drained, not yet removed from HAProxy",
    at: ({ server }) => ({ haproxy: { match: (c) => c === `set server ${BACKEND}/${server} state maint`, mode: "before" } }),
    outcome: "no replacement",
  },
  {
    name: "'take out of traffic' recorded done",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "take ", "done"), "out done") }),
    outcome: "no replacement",
  },
  {
    name: "'start a replacement' recorded running",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "start a replacement", "running"), "replacement running") }),
    outcome: "no replacement",
  },
  {
    name: "'start a replacement': created, not started",
    at: () => ({ pause: engineCall("before", "POST", "^/containers/[0-9a-f]{64}/start", "replacement created") }),
    outcome: "no replacement",
  },
  {
    name: "'start a replacement' recorded done (healthy)",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "start a replacement", "done"), "replacement done") }),
    outcome: "replacement kept",
  },
  {
    name: "'register the replacement in HAProxy' recorded running",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "register ", "running"), "register running") }),
    outcome: "replacement kept",
  },
  {
    name: "'register the replacement in HAProxy' recorded done",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "register ", "done"), "register done") }),
    outcome: "replacement kept",
  },
  {
    name: "'rename' recorded running",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "rename to ", "running"), "rename running") }),
    outcome: "replacement kept",
  },
  {
    name: "'rename' recorded done",
    at: ({ op }) => ({ pause: dbPause("after", stepProbe(op, "rename to ", "done"), "rename done") }),
    outcome: "replacement kept",
  },
];

describe("SIGKILL at every step of a quarantine", () => {
  let turn = 0;
  for (const c of QUARANTINE_CASES) {
    it(`${c.name}: ${c.outcome === "undone" ? "undone" : `completed (${c.outcome})`} after the restart, nothing lost`, async () => {
      let routed = activeContainersOf([live()!.id]).filter((x) => !x.container.quarantinedAt);
      if (routed.length < 2) {
        await ensureCandidate();
        await switchTraffic(system, SERVICE, "switch");
        routed = activeContainersOf([live()!.id]).filter((x) => !x.container.quarantinedAt);
      }
      const target = routed.find((x) => x.host.name === ENGINES[turn++ % 2]) ?? routed[0]!;
      const { op, where, restartMs } = await crashAndRestart(
        {
          verb: "quarantine",
          hostId: target.host.id,
          container: target.container.name,
          reason: "fault test: quarantine cut off",
          lifetimeS: 3600,
        },
        c.at({ op: maxOpId(), server: target.container.serverName }),
      );
      timings.push(`quarantine · ${c.name}: ${where}; restart ${restartMs} ms → ${op.status}`);

      const q = db().select().from(quarantines).where(eq(quarantines.operationId, op.id)).get()!;
      if (c.outcome === "undone") {
        expect(op, JSON.stringify(op.steps)).toMatchObject({
          status: "undone",
          error: expect.stringMatching(/before the container was marked quarantined/),
        });
        expect(q).toBeUndefined();
        expect(db().select().from(releaseContainers).where(eq(releaseContainers.id, target.container.id)).get()!.quarantinedAt).toBeNull();
        expect((await backendServers(hap.socket, BACKEND)).find((x) => x.name === target.container.serverName)).toMatchObject({
          weight: 100,
          adminState: "ready",
        });
        const said = await recoveryEvents("quarantine", op.id);
        expect(
          said.map((e) => [e.outcome, e.message]),
          JSON.stringify(said),
        ).toEqual([["ok", expect.stringMatching(/nothing had changed/)]]);
        await expectNothingLost(c.name);
        return;
      }
      expect(q, "the quarantine is recorded").toBeDefined();
      if (c.outcome === "replacement kept") {
        expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
        expect(q.replacementContainerId).not.toBeNull();
        const replacement = db().select().from(releaseContainers).where(eq(releaseContainers.id, q.replacementContainerId!)).get()!;
        expect(replacement.removedAt).toBeNull();
        expect((await backendServers(hap.socket, BACKEND)).find((x) => x.name === replacement.serverName)).toMatchObject({
          weight: 100,
          adminState: "ready",
        });
      } else {
        expect(op, JSON.stringify(op.steps)).toMatchObject({
          status: "failed",
          error: expect.stringMatching(/^interrupted by a server restart: quarantined without a replacement/),
        });
        expect(q.replacementContainerId).toBeNull();
      }
      // Kept quarantined, on its timer, out of traffic, renamed, still running for debugging.
      expect(q).toMatchObject({ status: "active", quarantinedName: expect.stringMatching(/-quarantined-\d+$/) });
      expect(q.deadline!.getTime()).toBeGreaterThan(Date.now());
      expect(db().select().from(releaseContainers).where(eq(releaseContainers.id, q.releaseContainerId)).get()).toMatchObject({
        quarantinedAt: expect.any(Date),
        removedAt: null,
      });
      const onEngine = await inspectOrNull(target.host.name as Engine, q.dockerId);
      expect(onEngine?.Name).toBe(`/${q.quarantinedName}`);
      expect(onEngine?.State.Running).toBe(true);
      for (const b of [BACKEND, PREVIEW])
        expect((await backendServers(hap.socket, b)).map((x) => x.name)).not.toContain(target.container.serverName);
      const res = await callRoute(eventsRoute.GET, viewerToken, "GET", `/api/events?service=${SERVICE}&action=quarantine.recovery`);
      const mine = (res.json.events as { outcome: string; message: string; detail: { quarantineId?: number } }[]).filter(
        (e) => e.detail?.quarantineId === q.id,
      );
      expect(
        mine.map((e) => e.outcome),
        JSON.stringify(mine),
      ).toEqual(["ok"]);
      expect(mine[0]!.message).toMatch(/interrupted by a restart was completed as recorded/);
      await expectNothingLost(c.name);
    });
  }
});

type DestroyCase = {
  name: string;
  at: (q: { id: number; dockerId: string }) => PausePlan;
  atCrash?: (q: { id: number; dockerId: string; engine: Engine }) => Promise<void>;
};

const containerGone = async (q: { id: number; dockerId: string; engine: Engine }) => {
  expect(await inspectOrNull(q.engine, q.dockerId), "the container is gone from its engine").toBeNull();
  expect(db().select().from(quarantines).where(eq(quarantines.id, q.id)).get()!.status, "the record does not know yet").toBe("destroying");
};

const DESTROY_CASES: DestroyCase[] = [
  {
    name: "claimed for destruction (status 'destroying' recorded)",
    at: (q) => dbPause("after", { sql: "select id from quarantines where id = ? and status = 'destroying'", params: [q.id] }, "claimed"),
  },
  {
    name: "collecting the forensic bundle",
    at: (q) => engineCall("before", "GET", `^/containers/${q.dockerId}/changes`, "reading docker diff"),
  },
  {
    name: "the bundle stored, the container not yet stopped",
    at: (q) => engineCall("before", "POST", `^/containers/${q.dockerId}/stop`, "stopping"),
  },
  {
    name: "the container stopped, not yet removed",
    at: (q) => engineCall("before", "DELETE", `^/containers/${q.dockerId}\\?`, "removing"),
  },
  {
    name: "the container removed, the engine's answer not seen",
    at: (q) => engineCall("after", "DELETE", `^/containers/${q.dockerId}\\?`, "removed"),
    atCrash: containerGone,
  },
  {
    name: "recording the destruction",
    at: (q) =>
      dbPause("after", { sql: "select id from quarantines where id = ? and status = 'destroyed'", params: [q.id] }, "destroyed recorded"),
    atCrash: containerGone,
  },
];

describe("SIGKILL at every step of a quarantine's destruct", () => {
  let turn = 0;
  /** Quarantines a live container (alternating hosts) and moves its deadline into the past. */
  async function dueQuarantine() {
    const l = live()!;
    const routed = activeContainersOf([l.id]).filter((x) => !x.container.quarantinedAt);
    const target = routed.find((x) => x.host.name === ENGINES[turn++ % 2]) ?? routed[0]!;
    const { quarantineId, done } = await quarantineContainer(system, {
      hostId: target.host.id,
      container: target.container.name,
      reason: "fault test: destruct cut off",
      lifetimeS: 3600,
    });
    await done;
    const q = db().select().from(quarantines).where(eq(quarantines.id, quarantineId)).get()!;
    expect(operationWithSteps(q.operationId!)!.status).toBe("succeeded");
    db()
      .update(quarantines)
      .set({ deadline: new Date(Date.now() - 1000) })
      .where(eq(quarantines.id, q.id))
      .run();
    return { q, engine: target.host.name as Engine };
  }

  for (const c of DESTROY_CASES) {
    it(`${c.name}: destroyed after the restart, bundle kept, nothing lost`, async () => {
      const { q, engine } = await dueQuarantine();
      const { where, restartMs } = await crash(
        { verb: "timers" },
        { pause: c.at({ id: q.id, dockerId: q.dockerId }), atCrash: () => c.atCrash?.({ id: q.id, dockerId: q.dockerId, engine }) },
        false,
      );
      const row = db().select().from(quarantines).where(eq(quarantines.id, q.id)).get()!;
      timings.push(`destruct · ${c.name}: ${where}; restart ${restartMs} ms → ${row.status}`);

      expect(row, JSON.stringify(row)).toMatchObject({ status: "destroyed", destroyedBy: "timer", lastError: null });
      expect(row.forensicsPath && fs.existsSync(row.forensicsPath), `forensic bundle ${row.forensicsPath}`).toBe(true);
      expect(await inspectOrNull(engine, q.dockerId)).toBeNull();
      expect(db().select().from(releaseContainers).where(eq(releaseContainers.id, q.releaseContainerId)).get()!.removedAt).not.toBeNull();
      const res = await callRoute(eventsRoute.GET, viewerToken, "GET", `/api/events?service=${SERVICE}&action=quarantine.destroy`);
      const mine = (res.json.events as { outcome: string; message: string; detail: { quarantineId?: number } }[]).filter(
        (e) => e.detail?.quarantineId === q.id,
      );
      expect(
        mine.map((e) => e.outcome),
        JSON.stringify(mine),
      ).toEqual(["ok"]);
      await expectNothingLost(c.name);
    });
  }
});
