/**
 * Faults of concurrency, against the real lab (engines alpha and beta) and an
 * HAProxy of this file's own:
 *
 *   - two operators press Switch traffic at the same moment, through the real
 *     route handlers (one process) and from two dashboard processes on the
 *     same database: exactly one switch happens, the other gets 409 naming
 *     the operation in progress, the release log has one switch;
 *   - the SQLite file is locked by another writer (another process holding
 *     BEGIN IMMEDIATE): within the busy timeout operations wait and succeed;
 *     past it the API answers with a clear error and nothing is half done;
 *     the file stays intact (PRAGMA integrity_check).
 *
 * Services `flt-sw` and `flt-lock`, one replica on alpha and one on beta.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { and, count, eq, gt, max } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountingProblems, adminGate, callRoute, holdWriteLock, spawnFaultChild, startPrivateHaproxy, type FaultChild } from "./faultLab";
import { labDocker, system, useTempDataDir } from "./lab";
import { expectServing, removeContainersNamed, until } from "./releaseLab";

const SW = "flt-sw";
const LOCK = "flt-lock";
const dataDir = useTempDataDir("faults-concurrency");
const hap = await startPrivateHaproxy(dataDir, [SW, `${SW}-preview`, LOCK, `${LOCK}-preview`]);
process.env.SWITCHYARD_HAPROXY_SOCKET = hap.socket;

const { db } = await import("@/db/client");
const { events, operations, releaseContainers, releases } = await import("@/db/schema");
const { addLabHosts, demoVersions, deploySucceeded: deployHere, person, serviceSpec } = await import("./fixtures");
const { createService, updateService } = await import("@/server/services/saveService");
const { serviceByName, specOf } = await import("@/server/services/serviceRows");
const { deployRelease } = await import("@/server/releases/deployRelease");
const { activeContainersOf, releaseWithStatus } = await import("@/server/releases/releaseRows");
const { operationWithSteps } = await import("@/server/operations/operationLog");
const { applyBackend } = await import("@/server/haproxy/applyBackend");
const { backendServers } = await import("@/server/haproxy/serverState");
const switchRoute = await import("@/app/api/services/[name]/switch/route");
const serviceRoute = await import("@/app/api/services/[name]/route");
const eventsRoute = await import("@/app/api/events/route");

db(); // migrations run here, before another process opens the file
const DB_FILE = path.join(dataDir, "switchyard.db");
const { versionOf } = demoVersions();
const gate = await adminGate(hap.socket, path.join(dataDir, "gate.sock"));

const olga = person("olga", "operator");
const otto = person("otto", "operator");
const viewer = person("flt-viewer", "viewer");

const svcId = (name: string) => serviceByName(name).id;
const lastId = (table: typeof events | typeof operations) =>
  db()
    .select({ id: max(table.id) })
    .from(table)
    .get()?.id ?? 0;
const switchAs = (who: { token: string }, service: string) =>
  callRoute(switchRoute.POST, who.token, "POST", `/api/services/${service}/switch`, {}, { name: service });
const integrity = () => {
  const fresh = new Database(DB_FILE, { readonly: true });
  try {
    return fresh.pragma("integrity_check", { simple: true });
  } finally {
    fresh.close();
  }
};

/** Checked every 200 ms with a 20 s gate; `healthyAfter` passes make a container healthy. */
const spec = (name: string, healthyAfter = 2) => serviceSpec(name, { healthCheck: { intervalMs: 200, healthyAfter, gateTimeoutS: 20 } });

async function expectLiveServing(service: string) {
  const live = releaseWithStatus(svcId(service), "live")!;
  const servers = activeContainersOf([live.id]).map((c) => c.container.serverName);
  await expectServing(hap.front(service), { versions: [versionOf(live.imageDigest)], servers }, () =>
    hap.view(service, `${service}-preview`),
  );
  return versionOf(live.imageDigest);
}

async function cleanUp() {
  for (const s of [SW, LOCK]) {
    await removeContainersNamed(`${s}-r`);
    await applyBackend(hap.socket, s, []).catch(() => undefined);
    await applyBackend(hap.socket, `${s}-preview`, []).catch(() => undefined);
  }
}

const children: FaultChild[] = [];

beforeAll(async () => {
  await cleanUp();
  addLabHosts("alpha", "beta");
  createService(system, spec(SW));
  createService(system, spec(LOCK));
  await deployHere(SW, "1.0.0");
  await deployHere(LOCK, "1.0.0");
});

afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()));
  await gate.close();
  await cleanUp().catch((err) => console.error("[faultsConcurrency] clean-up failed:", err));
  await hap.stop();
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("two operators press Switch traffic at the same moment", () => {
  it("through the API: exactly one wins, the other gets 409 naming the running switch; the log has one switch", async () => {
    await deployHere(SW, "1.1.0");
    const cand = releaseWithStatus(svcId(SW), "candidate")!;
    const since = { ev: lastId(events), op: lastId(operations) };

    const [a, b] = await Promise.all([switchAs(olga, SW), switchAs(otto, SW)]);
    const answers = [
      { who: "olga", ...a },
      { who: "otto", ...b },
    ];
    const won = answers.filter((x) => x.status === 200);
    const refused = answers.filter((x) => x.status === 409);
    expect(won, JSON.stringify(answers)).toHaveLength(1);
    expect(refused, JSON.stringify(answers)).toHaveLength(1);
    const winner = won[0]!;
    expect(winner.json).toMatchObject({ live: cand.number, standby: 1 });
    expect(refused[0]!.json.error).toEqual({
      code: "CONFLICT",
      message: expect.stringMatching(
        new RegExp(
          `^${SW}: switch #${winner.json.operationId} by ${winner.who} is in progress \\(started \\d+s ago\\); wait for it to finish\\.$`,
        ),
      ),
    });

    const switches = db()
      .select()
      .from(operations)
      .where(and(eq(operations.serviceId, svcId(SW)), gt(operations.id, since.op)))
      .all();
    expect(switches.map((o) => [o.kind, o.status, o.actor])).toEqual([["switch", "succeeded", winner.who]]);
    const log = await callRoute(eventsRoute.GET, viewer.token, "GET", `/api/events?service=${SW}&action=release.*`);
    const logged = (log.json.events as { id: number; action: string; outcome: string; actor: string }[]).filter((e) => e.id > since.ev);
    expect(logged.map((e) => [e.action, e.outcome, e.actor])).toEqual([["release.switch", "ok", winner.who]]);
    expect(await expectLiveServing(SW)).toBe("1.1.0");
  });

  it("from two dashboard processes on the same database: exactly one wins, the other is refused naming it", async () => {
    await deployHere(SW, "1.0.0");
    const cand = releaseWithStatus(svcId(SW), "candidate")!;
    const since = { ev: lastId(events), op: lastId(operations) };
    const env = { SWITCHYARD_DATA_DIR: dataDir, SWITCHYARD_HAPROXY_SOCKET: gate.file };
    const pair = [spawnFaultChild(env), spawnFaultChild(env)];
    children.push(...pair);
    await Promise.all(pair.map((c) => c.line("ready")));
    // The winner's switch is held at its first HAProxy change, so both attempts certainly overlap it.
    const held = gate.arm((c) => c.startsWith(`set server ${SW}/r${cand.number}-`) && c.endsWith(" weight 100"));
    pair[0]!.send({ verb: "switch", service: SW, actor: "olga" });
    pair[1]!.send({ verb: "switch", service: SW, actor: "otto" });
    await held;
    const refusedLine = await Promise.race(pair.map((c, i) => c.line("failed", 30_000).then((l) => ({ i, l }))));
    gate.releaseHeld();
    const winnerIdx = 1 - refusedLine.i;
    const winnerName = ["olga", "otto"][winnerIdx]!;
    const finished = await pair[winnerIdx]!.line("finished", 30_000);
    expect(await pair[refusedLine.i]!.exited).toEqual({ code: 0, signal: null });
    expect(await pair[winnerIdx]!.exited).toEqual({ code: 0, signal: null });

    expect(refusedLine.l).toEqual({
      failed: expect.stringMatching(new RegExp(`^${SW}: switch #${String(finished.finished)} by ${winnerName} is in progress`)),
      code: "CONFLICT",
    });
    const switches = db()
      .select()
      .from(operations)
      .where(and(eq(operations.serviceId, svcId(SW)), gt(operations.id, since.op)))
      .all();
    expect(switches.map((o) => [o.id, o.kind, o.status, o.actor])).toEqual([[finished.finished, "switch", "succeeded", winnerName]]);
    const logged = db()
      .select()
      .from(events)
      .where(and(eq(events.serviceName, SW), gt(events.id, since.ev)))
      .all();
    expect(logged.map((e) => [e.action, e.outcome, e.actor])).toEqual([["release.switch", "ok", winnerName]]);
    expect(releaseWithStatus(svcId(SW), "live")!.id).toBe(cand.id);
    expect(await expectLiveServing(SW)).toBe("1.0.0");
  });
});

describe("the SQLite file locked by another writer", () => {
  /** What a refused or failed change must leave alone. */
  async function snapshot(service: string) {
    const id = svcId(service);
    return {
      releases: db().select({ n: releases.number, status: releases.status }).from(releases).where(eq(releases.serviceId, id)).all(),
      operations: db().select({ n: count() }).from(operations).get()!.n,
      events: db().select({ n: count() }).from(events).where(eq(events.serviceName, service)).get()!.n,
      servers: (await backendServers(hap.socket, service)).map((s) => `${s.name}:${s.weight}:${s.adminState}`).sort(),
    };
  }

  it("held for 1.5 s: reads answer at once, a switch and a deploy wait for the lock (busy timeout) and succeed; both writers' changes are kept", async () => {
    await deployHere(LOCK, "1.1.0");
    const holder = holdWriteLock(DB_FILE, 1500, { insert: true });
    const lockedAt = await holder.locked;
    const read = await callRoute(serviceRoute.GET, viewer.token, "GET", `/api/services/${LOCK}`, undefined, { name: LOCK });
    const readMs = Date.now() - lockedAt;
    expect(read.status).toBe(200);
    expect(readMs, "a reader is not blocked by the writer (WAL)").toBeLessThan(1000);
    const sw = await switchAs(olga, LOCK);
    const waitedMs = Date.now() - lockedAt;
    expect(sw.status, JSON.stringify(sw.json)).toBe(200);
    expect(waitedMs, "the switch waited for the other writer").toBeGreaterThanOrEqual(1400);
    expect(await holder.exited).toEqual({ code: 0, signal: null });
    expect(db().select().from(events).where(eq(events.action, "fault.lock")).all()).toHaveLength(1);

    const second = holdWriteLock(DB_FILE, 1500);
    const lockedAgain = await second.locked;
    const { operationId, done } = deployRelease(otto.actor, LOCK, "deploy", { image: "1.1.0" });
    const beganAfter = Date.now() - lockedAgain;
    await done;
    expect(beganAfter, "the deploy's first write waited for the other writer").toBeGreaterThanOrEqual(1400);
    expect(operationWithSteps(operationId)!.status).toBe("succeeded");
    expect(await second.exited).toEqual({ code: 0, signal: null });
    console.info(
      `[faultsConcurrency] read ${readMs} ms into the lock; switch answered after ${waitedMs} ms; deploy began after ${beganAfter} ms`,
    );
    expect(integrity()).toBe("ok");
    expect(await expectLiveServing(LOCK)).toBe("1.1.0");
  });

  it("held past the busy timeout: the switch is refused with a clear 503 and nothing changes; once released it goes through", async () => {
    const before = await snapshot(LOCK);
    const holder = holdWriteLock(DB_FILE, 7000);
    const lockedAt = await holder.locked;
    const sw = await switchAs(olga, LOCK);
    const gaveUpAfter = Date.now() - lockedAt;
    expect(sw.status, JSON.stringify(sw.json)).toBe(503);
    expect(sw.json.error).toEqual({ code: "UNAVAILABLE", message: expect.stringMatching(/database is locked by another writer/) });
    expect(gaveUpAfter).toBeGreaterThanOrEqual(4900);
    expect(await snapshot(LOCK)).toEqual(before);
    await holder.released;
    expect(integrity()).toBe("ok");
    const again = await switchAs(olga, LOCK);
    expect(again.status, JSON.stringify(again.json)).toBe(200);
    expect(releaseWithStatus(svcId(LOCK), "live")!.number).toBe(before.releases.find((r) => r.status === "candidate")!.n);
  });

  it("held past the busy timeout during a deploy: the deploy fails with the reason and is undone, nothing half done", async () => {
    updateService(system, LOCK, spec(LOCK, 5)); // a 1 s gate: it ends while the lock is held
    const liveBefore = releaseWithStatus(svcId(LOCK), "live")!;
    const holder = holdWriteLock(DB_FILE, 8000, { onSignal: true });
    await holder.ready;
    const { operationId, done } = deployRelease(otto.actor, LOCK, "deploy", { image: "1.0.0" });
    await until(
      "the deploy's health gate",
      () =>
        operationWithSteps(operationId)!.steps.some((s) => s.name.startsWith("health gate") && s.status === "running") ? true : undefined,
      30_000,
      20,
    );
    holder.go();
    await holder.locked;
    await done;
    await holder.exited;
    const op = operationWithSteps(operationId)!;
    expect(op.status, JSON.stringify(op.steps)).toBe("failed");
    expect(op.error).toBe("database is locked");
    expect(op.steps.find((s) => s.name.startsWith("health gate"))).toMatchObject({ status: "failed", detail: "database is locked" });
    expect(op.steps.at(-1)).toMatchObject({ name: "abort: take new containers out and remove them", status: "done" });
    const failed = db().select().from(releases).where(eq(releases.id, op.releaseId!)).get()!;
    expect(failed).toMatchObject({ status: "failed", failureReason: "database is locked" });
    expect(
      db()
        .select()
        .from(releaseContainers)
        .where(eq(releaseContainers.releaseId, failed.id))
        .all()
        .every((c) => c.removedAt !== null),
    ).toBe(true);
    expect(releaseWithStatus(svcId(LOCK), "live")!.id).toBe(liveBefore.id);
    expect(await accountingProblems(LOCK, { alpha: labDocker("alpha"), beta: labDocker("beta") })).toEqual([]);
    expect(integrity()).toBe("ok");
    await expectLiveServing(LOCK);
    updateService(system, LOCK, { ...specOf(serviceByName(LOCK)), healthCheck: spec(LOCK).healthCheck });
  });

  it("a writer killed in the middle of its transaction: its change is rolled back, the file is intact and writable at once", async () => {
    const holder = holdWriteLock(DB_FILE, 60_000, { insert: true });
    await holder.locked;
    expect((await holder.kill()).signal).toBe("SIGKILL");
    const t0 = Date.now();
    const res = await callRoute(
      serviceRoute.PUT,
      olga.token,
      "PUT",
      `/api/services/${LOCK}`,
      { ...specOf(serviceByName(LOCK)), autoSwitch: false },
      { name: LOCK },
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(db().select().from(events).where(eq(events.action, "fault.lock")).all()).toHaveLength(1); // the first holder's, committed; not this one's
    expect(integrity()).toBe("ok");
  });
});
