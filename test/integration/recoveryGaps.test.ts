/**
 * Regression tests for restart-recovery gaps found against the real lab (a
 * first release cut off while entering HAProxy; steps left "running"; a
 * recovery that failed because HAProxy was down locking its service). The
 * "arranges" tests set up the situation and check that it really happened.
 * Service `it-gaps`, HAProxy backends it-web / it-web-preview.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lab, system, useTempDataDir } from "./lab";
import { adminGate } from "./faultLab";
import { get } from "./releaseLab";

const dataDir = useTempDataDir("recovery-gaps");

const { db } = await import("@/db/client");
const { operations } = await import("@/db/schema");
const { addLabHosts, clearService, serviceSpec } = await import("./fixtures");
const { createService } = await import("@/server/services/saveService");
const { serviceByName } = await import("@/server/services/serviceRows");
const { deployRelease } = await import("@/server/releases/deployRelease");
const { releaseByNumber } = await import("@/server/releases/releaseRows");
const { beginOperation, noteStep, operationWithSteps } = await import("@/server/operations/operationLog");
const { resumeOperations } = await import("@/server/operations/resumeOperations");
const { reconcileRouting } = await import("@/server/routing/reconcileRouting");

const L = lab();
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SERVICE = "it-gaps";
const FRONT = L.haproxy.frontends["it-web"]!;
const SOCKET = L.haproxy.adminSocket;
const serviceId = () => serviceByName(SERVICE).id;

type Exit = { code: number | null; signal: NodeJS.Signals | null };
/** crashChild.ts in its own process, on this file's database; `socket` replaces the HAProxy admin socket. */
function child(args: string[], socket = SOCKET) {
  const proc = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "test/integration/crashChild.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, SWITCHYARD_DATA_DIR: dataDir, SWITCHYARD_HAPROXY_SOCKET: socket },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  proc.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<Exit>((r) => proc.once("exit", (code, signal) => r({ code, signal })));
  return { proc, exited, output: () => output };
}

const cleanUp = () => clearService(SERVICE, SOCKET, ["it-web", "it-web-preview"]);

let firstDeployOp = 0;

beforeAll(async () => {
  await cleanUp();
  addLabHosts("alpha", "beta");
  createService(system, serviceSpec(SERVICE, { healthCheck: { gateTimeoutS: 20 }, haproxy: { backend: "it-web" } }));
});

afterAll(async () => {
  await cleanUp().catch((err) => console.error("[recoveryGaps] clean-up failed:", err));
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("restart recovery: known gaps", () => {
  it("arranges: the FIRST deploy is killed while registering its healthy release in HAProxy, then the server restarts", async () => {
    const gate = await adminGate(SOCKET, path.join(dataDir, "admin-gate.sock"));
    const heldCommand = gate.arm((command) => !command.startsWith("show "), "before");
    try {
      const c = child(["deploy", SERVICE, "1.0.0"], gate.file);
      const held = await Promise.race([
        heldCommand,
        c.exited.then(({ code }) => Promise.reject(new Error(`child exited ${code} before changing HAProxy: ${c.output()}`))),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no HAProxy change within 30 s")), 30_000)),
      ]);
      c.proc.kill("SIGKILL");
      expect((await c.exited).signal).toBe("SIGKILL");
      expect(held).toMatch(/^add server it-web\/r1-(alpha|beta)-1 /);
    } finally {
      await gate.close();
    }
    const op = db()
      .select()
      .from(operations)
      .where(and(eq(operations.serviceId, serviceId()), eq(operations.kind, "deploy")))
      .get()!;
    firstDeployOp = op.id;
    const steps = operationWithSteps(op.id)!.steps;
    expect(steps.find((s) => s.name.startsWith("health gate"))?.status).toBe("done");
    expect(steps.at(-1)).toMatchObject({ name: "register in HAProxy as preview (weight 0)", status: "running" });
    expect(releaseByNumber(serviceId(), 1).status).toBe("candidate");

    await resumeOperations();
    expect(operationWithSteps(op.id)!.status).not.toBe("running");
  });

  // resumeOne (server/operations/resumeOperations.ts) treats a deploy past its gate like a switch: it
  // re-applies routing "as recorded" (a candidate at weight 0) and marks the deploy succeeded; but a
  // first release (or an autoSwitch deploy) was meant to go live by itself, so nothing serves.
  it("a first deploy reported as succeeded after the restart has its release live and serving", async () => {
    const op = operationWithSteps(firstDeployOp)!;
    if (op.status === "succeeded") {
      expect(releaseByNumber(serviceId(), 1).status).toBe("live");
      const reply = await get(`${FRONT}/version`);
      expect(reply).toMatchObject({ status: 200, body: "1.0.0" });
    } else {
      expect(["failed", "undone"]).toContain(op.status);
    }
  });

  // resumeOne never closes the step the crash interrupted: the UI keeps showing it as in progress.
  it("an operation finished after a restart has no step left 'running'", () => {
    const op = operationWithSteps(firstDeployOp)!;
    expect(op.status).not.toBe("running");
    expect(op.steps.filter((s) => s.status === "running").map((s) => s.name)).toEqual([]);
  });

  let stuckOp = 0;
  it("arranges: a switch cut off after its commit, and the restarted server cannot reach HAProxy yet", async () => {
    // The state a switch killed right after "record: release N live" leaves (see recovery.test.ts for the real kill).
    const op = beginOperation(serviceId(), SERVICE, "switch", system, { release: 1 });
    noteStep(op.id, "record: release 1 live", "done");
    stuckOp = op.id;
    const c = child(["resume"], path.join(dataDir, "no-haproxy-yet.sock"));
    expect(await c.exited, c.output()).toEqual({ code: 0, signal: null });
    expect(c.output()).toContain(`could not resume operation ${op.id}`);
    expect(operationWithSteps(op.id)!.status).toBe("running");
  });

  // resumeOperations runs once, at start-up (startBackgroundJobs); reconcileRouting skips every service
  // with a running operation (busy()). So the operation stays "running" and every later
  // deploy/switch/rollback/retire on the service gets 409 until the process is restarted again.
  it("once HAProxy is back, the periodic reconcile finishes the interrupted operation and the service takes operations again", async () => {
    await reconcileRouting();
    expect(operationWithSteps(stuckOp)!.status).not.toBe("running");
    const next = deployRelease(system, SERVICE, "redeploy", null);
    await next.done;
  });
});
