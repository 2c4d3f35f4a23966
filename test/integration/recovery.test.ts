/**
 * Restart recovery against the real lab, with real crashes: a child process
 * (crashChild.ts, the same server code) runs a deploy or a switch on this
 * file's database and is SIGKILLed in the middle; this process then plays the
 * restarted server (resumeOperations) and we check engines, HAProxy and the
 * record. Last, HAProxy loses its runtime servers and reconcileRouting puts
 * them back. Service `it-recovery`, HAProxy backends it-web / it-web-preview.
 *
 *   r1 1.0.0 live · r2 2.0.0 deploy killed in its health gate → undone
 *   r3 1.1.0 candidate · switch killed after its commit, before HAProxy changed → completed
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lab, system, useTempDataDir } from "./lab";
import { expectServing, failuresOf, get, inspectOrNull, requestLoops, until } from "./releaseLab";
import { adminGate } from "./faultLab";

const dataDir = useTempDataDir("recovery");

const { db } = await import("@/db/client");
const { events, operations } = await import("@/db/schema");
const { addLabHosts, clearService, containersOfRelease, deployToEnd, haproxyStatRows, serviceSpec } = await import("./fixtures");
const { createService } = await import("@/server/services/saveService");
const { serviceByName } = await import("@/server/services/serviceRows");
const { releaseByNumber } = await import("@/server/releases/releaseRows");
const { operationWithSteps } = await import("@/server/operations/operationLog");
const { resumeOperations } = await import("@/server/operations/resumeOperations");
const { reconcileRouting } = await import("@/server/routing/reconcileRouting");
const { applyBackend } = await import("@/server/haproxy/applyBackend");
const { backendServers } = await import("@/server/haproxy/serverState");

const L = lab();
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SERVICE = "it-recovery";
const BACKEND = "it-web";
const PREVIEW_BACKEND = "it-web-preview";
const FRONT = L.haproxy.frontends["it-web"]!;
const SOCKET = L.haproxy.adminSocket;
const DIGEST = L.images["demo-web"]!;

/** HAProxy's view of both backends (show stat rows), for failure messages. */
const haproxyView = () => haproxyStatRows(SOCKET, [BACKEND, PREVIEW_BACKEND]);

const serviceId = () => serviceByName(SERVICE).id;
const rel = (n: number) => releaseByNumber(serviceId(), n);

const containersOf = (n: number) => containersOfRelease(SERVICE, n);
const deployHere = (image: string) => deployToEnd(SERVICE, "deploy", { image });

const stepOf = (opId: number, name: string) => operationWithSteps(opId)?.steps.find((s) => s.name === name || s.name.startsWith(name));

type Child = {
  proc: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};
const children: Child[] = [];

/** Starts crashChild.ts: the same server code in its own process, on this file's database. */
function spawnServer(args: string[], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "test/integration/crashChild.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, SWITCHYARD_DATA_DIR: dataDir, SWITCHYARD_HAPROXY_SOCKET: SOCKET, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let out = "";
  let err = "";
  proc.stdout!.setEncoding("utf8").on("data", (d: string) => {
    out += d;
    for (let nl = out.indexOf("\n"); nl >= 0; nl = out.indexOf("\n")) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        err += `${line}\n`; // a log line, not ours
      }
    }
  });
  proc.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    proc.once("exit", (code, signal) => r({ code, signal })),
  );
  const child = { proc, lines, stderr: () => err, exited };
  children.push(child);
  return child;
}

/** SIGKILL, like a crash or an OOM kill: nothing runs after it. */
async function crash(child: Child) {
  child.proc.kill("SIGKILL");
  const exit = await child.exited;
  expect(exit.signal, `the child was to be killed, it exited by itself: ${JSON.stringify(child.lines)} ${child.stderr()}`).toBe("SIGKILL");
}

const cleanUp = () => clearService(SERVICE, SOCKET, [BACKEND, PREVIEW_BACKEND]);

beforeAll(async () => {
  await cleanUp();
  addLabHosts("alpha", "beta");
  // A long gate: the 2.0.0 deploy must still be in it when the child is killed.
  createService(system, serviceSpec(SERVICE, { healthCheck: { gateTimeoutS: 45 }, haproxy: { backend: BACKEND } }));
  const first = await deployHere("1.0.0");
  expect(first.status, JSON.stringify(first.steps)).toBe("succeeded");
  expect(rel(1).status).toBe("live");
});

afterAll(async () => {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
  await Promise.all(children.map((c) => c.exited));
  await cleanUp().catch((err) => console.error("[recovery] clean-up failed:", err));
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("restart recovery against the real lab", () => {
  it("a deploy killed in its health gate is undone on restart; the live release keeps serving", async () => {
    const loops = requestLoops(FRONT);
    const child = spawnServer(["deploy", SERVICE, "2.0.0"]);
    const opId = await until(
      "the child's deploy to start",
      () => {
        if (child.proc.exitCode !== null) throw new Error(`child exited ${child.proc.exitCode}: ${child.stderr()}`);
        return child.lines.find((l) => typeof l.started === "number")?.started as number | undefined;
      },
      30_000,
    );
    // In the gate: its step recorded running (not merely 'start containers' done: the kill could land between the two).
    await until(
      "step 'health gate' running",
      () => {
        if (child.proc.exitCode !== null) throw new Error(`child exited ${child.proc.exitCode}: ${child.stderr()}`);
        return stepOf(opId, "start containers")?.status === "done" && stepOf(opId, "health gate")?.status === "running" ? true : undefined;
      },
      30_000,
      10,
    );
    await crash(child);

    // What the crash left: a running operation, a deploying release, running containers nobody routes to.
    const before = operationWithSteps(opId)!;
    expect(before.status).toBe("running");
    expect(before.steps.find((s) => s.name.startsWith("health gate"))?.status).toBe("running");
    expect(rel(2)).toMatchObject({ status: "deploying", imageDigest: DIGEST["2.0.0"] });
    const started = containersOf(2);
    expect(started.map((c) => c.engine).sort()).toEqual(["alpha", "beta"]);
    for (const c of started) expect((await inspectOrNull(c.engine, c.dockerId!))?.State.Running, `${c.name} on ${c.engine}`).toBe(true);

    await resumeOperations();

    const after = operationWithSteps(opId)!;
    expect(after.status).toBe("undone");
    expect(after.error).toContain("interrupted");
    expect(after.steps.at(-1)).toMatchObject({ name: "undone after restart: new containers removed", status: "undone" });
    expect(rel(2).status).toBe("failed");
    expect(rel(2).failureReason).toContain("interrupted");
    for (const c of containersOf(2)) {
      expect(c.removedAt, c.name).not.toBeNull();
      expect(await inspectOrNull(c.engine, c.name), `${c.name} on ${c.engine}`).toBeNull();
    }
    expect(rel(1).status).toBe("live");
    for (const c of containersOf(1)) expect((await inspectOrNull(c.engine, c.dockerId!))?.State.Running).toBe(true);
    await expectServing(FRONT, { versions: ["1.0.0"], servers: ["r1-alpha-1", "r1-beta-1"] }, haproxyView);
    expect((await backendServers(SOCKET, BACKEND)).map((s) => s.name).sort()).toEqual(["r1-alpha-1", "r1-beta-1"]);

    const samples = await loops.stop();
    expect(failuresOf(samples)).toEqual([]);
    expect(new Set(samples.map((s) => s.body))).toEqual(new Set(["1.0.0"]));
    const recovered = db()
      .select()
      .from(events)
      .where(and(eq(events.action, "recovery.deploy"), eq(events.serviceName, SERVICE)))
      .all();
    expect(recovered.map((e) => e.outcome)).toEqual(["ok"]);
  });

  it("a switch killed after its commit, before HAProxy changed, is completed as recorded on restart", async () => {
    const candidate = await deployHere("1.1.0");
    expect(candidate.status, JSON.stringify(candidate.steps)).toBe("succeeded");
    expect(rel(3).status).toBe("candidate");

    // The child talks to HAProxy through a socket that swallows its first change: it dies with HAProxy untouched.
    const gate = await adminGate(SOCKET, path.join(dataDir, "admin-gate.sock"));
    const heldCommand = gate.arm((command) => !command.startsWith("show "), "before");
    try {
      const loops = requestLoops(FRONT);
      const child = spawnServer(["switch", SERVICE], { SWITCHYARD_HAPROXY_SOCKET: gate.file });
      const held = await Promise.race([
        heldCommand,
        child.exited.then(({ code }) => Promise.reject(new Error(`child exited ${code} before changing HAProxy: ${child.stderr()}`))),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("the child sent no HAProxy change within 30 s")), 30_000)),
      ]);
      await crash(child);
      expect(held).toMatch(/^set server it-web\/r3-(alpha|beta)-1 weight 100$/);

      const op = db()
        .select()
        .from(operations)
        .where(and(eq(operations.serviceId, serviceId()), eq(operations.kind, "switch")))
        .get()!;
      expect(op.status).toBe("running");
      expect(stepOf(op.id, "record: release 3 live")?.status).toBe("done");
      expect(stepOf(op.id, "apply routing in HAProxy")?.status).toBe("running");
      expect(rel(3).status).toBe("live");
      expect(rel(1).status).toBe("standby");
      // The record is ahead of HAProxy: traffic still goes to release 1.
      await expectServing(FRONT, { versions: ["1.0.0"], servers: ["r1-alpha-1", "r1-beta-1"] }, haproxyView, { min: 30 });

      await resumeOperations();

      const done = operationWithSteps(op.id)!;
      expect(done.status).toBe("succeeded");
      expect(done.steps.at(-1)).toMatchObject({ name: "completed after restart: routing re-applied as recorded", status: "done" });
      const resumedAt = Date.now();
      await expectServing(FRONT, { versions: ["1.1.0"], servers: ["r3-alpha-1", "r3-beta-1"] }, haproxyView);
      const states = new Map((await backendServers(SOCKET, BACKEND)).map((s) => [s.name, s]));
      expect([...states.keys()].sort()).toEqual(["r1-alpha-1", "r1-beta-1", "r3-alpha-1", "r3-beta-1"]);
      for (const n of ["r3-alpha-1", "r3-beta-1"])
        expect(states.get(n)).toMatchObject({ adminState: "ready", weight: 100, operational: "up" });
      for (const n of ["r1-alpha-1", "r1-beta-1"]) expect(states.get(n)).toMatchObject({ adminState: "drain" });
      expect(await backendServers(SOCKET, PREVIEW_BACKEND)).toEqual([]);

      const samples = await loops.stop();
      expect(failuresOf(samples)).toEqual([]);
      expect(samples.filter((s) => s.startedAt > resumedAt && s.body !== "1.1.0")).toEqual([]);
    } finally {
      await gate.close();
    }
  });

  it("HAProxy losing its runtime servers is repaired by reconcileRouting", async () => {
    await applyBackend(SOCKET, BACKEND, []);
    await applyBackend(SOCKET, PREVIEW_BACKEND, []);
    expect(await backendServers(SOCKET, BACKEND)).toEqual([]);
    expect((await get(`${FRONT}/version`)).status).toBe(503);

    await reconcileRouting();

    await expectServing(FRONT, { versions: ["1.1.0"], servers: ["r3-alpha-1", "r3-beta-1"] }, haproxyView);
    const states = new Map((await backendServers(SOCKET, BACKEND)).map((s) => [s.name, s]));
    expect(states.get("r3-alpha-1")).toMatchObject({ adminState: "ready", weight: 100 });
    expect(states.get("r1-alpha-1")).toMatchObject({ adminState: "drain" });
    expect(states.size).toBe(4);

    const reconciled = () =>
      db()
        .select()
        .from(events)
        .where(and(eq(events.action, "routing.reconcile"), eq(events.serviceName, SERVICE)))
        .all();
    expect(reconciled()).toHaveLength(1);
    expect(reconciled()[0]).toMatchObject({ outcome: "ok", message: expect.stringContaining("HAProxy differed from the record") });
    // Idempotent: a second pass finds nothing to change and records nothing.
    await reconcileRouting();
    expect(reconciled()).toHaveLength(1);
  });
});
