/**
 * Debug quarantine against the real lab, no mocks: a service `quar-it` on
 * alpha (unix socket) and beta (TCP+TLS), routed through the lab HAProxy's
 * `quar-web` backend (http://127.0.0.1:18096). The tests run in order and
 * build on each other:
 *
 *   bad input changes nothing · quarantine r1-alpha-1 under load · extensions ·
 *   cancel keeps r1-beta-1 past its deadline, Destroy now removes it (bundle) ·
 *   an unreachable host is retried with backoff · the dashboard is stopped,
 *   a deadline passes, the restarted dashboard destroys r1-alpha-2 at once ·
 *   a quarantine cut off by a restart is completed as recorded ·
 *   the last container of a release (`quar-solo`) gets its replacement first.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { and, count, eq, isNotNull } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lab, labDocker, system, useTempDataDir } from "./lab";
import { failuresOf, inspectOrNull, requestLoops, sample, sleep, until } from "./releaseLab";

const dataDir = useTempDataDir("quarantine");
process.env.SWITCHYARD_QUARANTINE_WARN_MINUTES = String(4 / 60); // warn 4 s before a deadline
process.env.SWITCHYARD_FORENSICS_CAP_MB = "1";

const { db } = await import("@/db/client");
const { events, hosts, operations, quarantineExtensions, quarantines, releaseContainers, services } = await import("@/db/schema");
const { addLabHosts, clearService, deploySucceeded: deploy, person, serviceSpec } = await import("./fixtures");
const { createHost } = await import("@/server/hosts/createHost");
const { createService } = await import("@/server/services/saveService");
const { operationWithSteps } = await import("@/server/operations/operationLog");
const { backendServers } = await import("@/server/haproxy/serverState");
const { reconcileRouting } = await import("@/server/routing/reconcileRouting");
const { runQuarantineTimers } = await import("@/server/quarantine/quarantineTimers");
const { readTar } = await import("@/server/quarantine/tarArchive");
const { REDACTED } = await import("@/server/quarantine/forensicsFormat");
const { extendQuarantine } = await import("@/server/quarantine/extendQuarantine");
const { quarantineContainer } = await import("@/server/quarantine/quarantineContainer");
const { resumeOperations } = await import("@/server/operations/resumeOperations");
const collection = await import("@/app/api/quarantines/route");
const one = await import("@/app/api/quarantines/[id]/route");
const extendRoute = await import("@/app/api/quarantines/[id]/extend/route");
const cancelRoute = await import("@/app/api/quarantines/[id]/cancel/route");
const destroyRoute = await import("@/app/api/quarantines/[id]/destroy/route");
const forensicsRoute = await import("@/app/api/quarantines/[id]/forensics/route");

const L = lab();
const SERVICE = "quar-it";
const SOLO = "quar-solo";
const BACKEND = "quar-web";
const PREVIEW_BACKEND = "quar-web-preview";
const FRONT = L.haproxy.frontends["quar-web"]!;
// A backend belongs to one service: the last test's service gets the lab's drift-web pair (drift tests run in another file, never at the same time).
const SOLO_BACKEND = "drift-web";
const SOLO_PREVIEW_BACKEND = "drift-web-preview";
const SOLO_FRONT = L.haproxy.frontends["drift-web"]!;
const SOCKET = L.haproxy.adminSocket;
const REPO = `${L.registry}/demo-web`;
const SECRET = "s3cret-value-for-quarantine";
const STRAY = `quar-stray-${process.pid}`;

const staff = { admin: person("quar-admin", "admin"), operator: person("quar-op", "operator"), viewer: person("quar-viewer", "viewer") };
const people = { admin: staff.admin.actor, operator: staff.operator.actor, viewer: staff.viewer.actor };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(
  handler: Handler,
  who: keyof typeof people,
  url: string,
  body?: unknown,
  params: Record<string, string> = {},
): Promise<{ status: number; json: Json }> {
  const req = new NextRequest(`http://localhost${url}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${staff[who].token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await handler(req, { params: Promise.resolve(params) });
  return {
    status: res.status,
    json: res.headers.get("content-type")?.includes("json")
      ? ((await res.json()) as Json)
      : { bytes: (await res.arrayBuffer()).byteLength },
  };
}
const quarantine = (who: keyof typeof people, body: unknown, wait = true) =>
  call(collection.POST as Handler, who, `/api/quarantines${wait ? "?wait=true" : ""}`, body);
const act = (route: { POST: unknown }, verb: string, who: keyof typeof people, id: number, body: unknown = {}) =>
  call(route.POST as Handler, who, `/api/quarantines/${id}/${verb}`, body, { id: String(id) });
const detail = async (id: number) =>
  (await call(one.GET as Handler, "viewer", `/api/quarantines/${id}`, undefined, { id: String(id) })).json.quarantine as Json;

const hostId = (name: string) => db().select().from(hosts).where(eq(hosts.name, name)).get()!.id;
const serverNames = async (backend = BACKEND) => (await backendServers(SOCKET, backend)).map((s) => s.name).sort();
const rowOf = (id: number) => db().select().from(quarantines).where(eq(quarantines.id, id)).get()!;
const containerRow = (name: string) => db().select().from(releaseContainers).where(eq(releaseContainers.name, name)).get()!;

/** Everything a refused request must leave alone. */
async function snapshot() {
  const n = (table: typeof quarantines | typeof quarantineExtensions | typeof events | typeof operations) =>
    db().select({ n: count() }).from(table).get()!.n;
  return {
    quarantines: n(quarantines),
    extensions: n(quarantineExtensions),
    events: n(events),
    operations: n(operations),
    marked: db().select({ n: count() }).from(releaseContainers).where(isNotNull(releaseContainers.quarantinedAt)).get()!.n,
    deadlines: db().select({ id: quarantines.id, d: quarantines.deadline, s: quarantines.status }).from(quarantines).all(),
    servers: await serverNames(),
  };
}

async function cleanUp() {
  await clearService(SOLO, SOCKET, [SOLO_BACKEND, SOLO_PREVIEW_BACKEND]);
  await labDocker("alpha")
    .getContainer(STRAY)
    .remove({ force: true })
    .catch(() => undefined);
  await clearService(SERVICE, SOCKET, [BACKEND, PREVIEW_BACKEND]);
}

/** Reads the stored bundle: name → content. */
async function bundle(file: string): Promise<Map<string, Buffer>> {
  return new Map((await readTar(zlib.gunzipSync(fs.readFileSync(file)))).map((e) => [e.name, e.data]));
}

let child: ChildProcess | null = null;
/** Starts the stand-in dashboard (the real start-up and background jobs) on this test's database. */
async function startDashboard(): Promise<{ proc: ChildProcess; spawnedAt: number }> {
  const spawnedAt = Date.now();
  const proc = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "test/integration/quarantineChild.ts"], {
    cwd: process.cwd(),
    env: { ...process.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = proc;
  let out = "";
  proc.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  proc.stderr!.on("data", (c: Buffer) => process.stderr.write(`[dashboard] ${c.toString()}`));
  await until("dashboard started", () => (out.includes('"started"') ? true : undefined), 30_000, 50);
  return { proc, spawnedAt };
}
async function stopDashboard(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  proc.kill("SIGTERM");
  await exited;
  child = null;
}

beforeAll(async () => {
  await cleanUp();
  addLabHosts("alpha", "beta");
  createService(
    system,
    serviceSpec(SERVICE, {
      env: [
        { name: "GREETING", value: "hello from quarantine", secret: false },
        { name: "API_KEY", value: SECRET, secret: true },
      ],
      readOnlyRootFs: false,
      haproxy: { backend: BACKEND },
    }),
  );
  await deploy(SERVICE, "1.0.0");
  expect(await serverNames()).toEqual(["r1-alpha-1", "r1-beta-1"]);
});

afterAll(async () => {
  if (child) await stopDashboard(child).catch(() => undefined);
  await cleanUp().catch((err) => console.error("[quarantine] clean-up failed:", err));
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("debug quarantine against the real lab", () => {
  it("refuses bad input with a clear 4xx and changes nothing", async () => {
    const docker = labDocker("alpha");
    const image = (await docker.getContainer(containerRow("quar-it-r1-alpha-1").dockerId!).inspect()).Config.Image;
    await docker.createContainer({ name: STRAY, Image: image, HostConfig: { NetworkMode: "none" } });
    const alpha = hostId("alpha");
    const before = await snapshot();
    const good = { hostId: alpha, container: "quar-it-r1-alpha-1", reason: "memory leak" };
    const cases: [string, keyof typeof people, unknown, number, RegExp][] = [
      ["lifetime 0", "operator", { ...good, lifetimeS: 0 }, 400, /lifetimeS: must be more than 0 seconds/],
      ["negative lifetime", "operator", { ...good, lifetimeS: -60 }, 400, /lifetimeS: must be more than 0 seconds/],
      ["lifetime past the maximum", "operator", { ...good, lifetimeS: 168 * 3600 + 1 }, 400, /past the maximum lifetime of 7d/],
      ["missing reason", "operator", { hostId: alpha, container: "quar-it-r1-alpha-1" }, 400, /reason: required/],
      ["blank reason", "operator", { ...good, reason: "   " }, 400, /reason: required/],
      [
        "unknown container",
        "operator",
        { ...good, container: "no-such-container" },
        404,
        /Container 'no-such-container' on host alpha not found/,
      ],
      ["unknown host", "operator", { ...good, hostId: 99_999 }, 404, /Host 99999 not found/],
      ["unaccounted container", "operator", { ...good, container: STRAY }, 422, /not a container Switchyard deployed/],
      ["a viewer", "viewer", good, 403, /needs the operator role/],
    ];
    for (const [what, who, body, status, message] of cases) {
      const res = await quarantine(who, body);
      expect(res.status, `${what}: ${JSON.stringify(res.json)}`).toBe(status);
      expect(res.json.error.message, what).toMatch(message);
    }
    expect((await act(extendRoute, "extend", "operator", 4242, { addS: 60 })).status).toBe(404);
    expect((await act(destroyRoute, "destroy", "operator", 4242)).status).toBe(404);
    expect(await snapshot()).toEqual(before);
    expect((await inspectOrNull("alpha", STRAY))?.Name).toBe(`/${STRAY}`);
  });

  let first = 0;
  it("quarantines a live container under load: drained then removed, replaced from its release, renamed — no request fails", async () => {
    const loops = requestLoops(FRONT);
    await sleep(300);
    const res = await quarantine("operator", {
      hostId: hostId("alpha"),
      container: "quar-it-r1-alpha-1",
      reason: "integration: memory leak",
      lifetimeS: 600,
    });
    await sleep(500);
    const samples = await loops.stop();
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const op = res.json.operation as Json;
    expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
    expect(op.steps.map((s: Json) => s.name)).toEqual([
      "take r1-alpha-1 out of traffic: drain, then remove from HAProxy",
      "start a replacement from release 1 (pinned digest) on alpha, health-gated",
      "register r1-alpha-2 in HAProxy like the release's other containers",
      `rename to quar-it-r1-alpha-1-quarantined-${res.json.quarantine.id} on alpha`,
    ]);
    expect(op.steps[0].detail).toMatch(/r1-alpha-1 drained in quar-web.*1 server\(s\) deleted/);
    expect(failuresOf(samples)).toEqual([]);
    expect(samples.length).toBeGreaterThan(30);
    console.info(`[quarantine] ${samples.length} requests while quarantining, 0 failed`);

    const q = res.json.quarantine as Json;
    first = q.id;
    expect(q).toMatchObject({
      status: "active",
      hostName: "alpha",
      originalName: "quar-it-r1-alpha-1",
      quarantinedBy: "quar-op",
      reason: "integration: memory leak",
      serviceName: SERVICE,
      releaseNumber: 1,
    });
    expect(q.deadline - q.quarantinedAt).toBe(600_000);
    expect(await serverNames()).toEqual(["r1-alpha-2", "r1-beta-1"]);
    const served = await sample(FRONT, 12);
    expect([...served.servers].sort()).toEqual(["r1-alpha-2", "r1-beta-1"]);

    const original = containerRow("quar-it-r1-alpha-1");
    const replacement = containerRow("quar-it-r1-alpha-2");
    expect(original.quarantinedAt).not.toBeNull();
    expect(original.removedAt).toBeNull();
    expect(replacement).toMatchObject({ releaseId: original.releaseId, slot: original.slot, quarantinedAt: null, removedAt: null });
    const kept = await inspectOrNull("alpha", original.dockerId!);
    expect(kept?.Name).toBe(`/quar-it-r1-alpha-1-quarantined-${first}`);
    expect(kept?.State.Running).toBe(true);
    const fresh = await inspectOrNull("alpha", replacement.dockerId!);
    expect(fresh?.State.Running).toBe(true);
    expect(fresh?.Config.Image).toBe(kept?.Config.Image); // same release, pinned by digest
    expect(fresh?.Config.Image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(fresh?.Id).not.toBe(kept?.Id);
  });

  it("never puts a quarantined container back into traffic", async () => {
    const again = await quarantine("operator", { hostId: hostId("alpha"), container: "quar-it-r1-alpha-1", reason: "again" });
    expect(again.status).toBe(409);
    expect(again.json.error.message).toMatch(/already quarantined \(quarantine #\d+\); a quarantined container never returns to traffic/);
    await reconcileRouting();
    expect(await serverNames()).toEqual(["r1-alpha-2", "r1-beta-1"]);
  });

  it("extends: each extension recorded, never past the maximum, and after the third the debug tools belong in the image", async () => {
    const before = rowOf(first);
    const r1 = await act(extendRoute, "extend", "operator", first, { addS: 3600 });
    expect(r1.status, JSON.stringify(r1.json)).toBe(200);
    expect(r1.json.quarantine.deadline).toBe(before.deadline!.getTime() + 3_600_000);
    expect(r1.json.quarantine.extensions).toMatchObject([{ by: "quar-op", addedS: 3600 }]);

    const unchanged = await snapshot();
    const tooFar = await act(extendRoute, "extend", "operator", first, { addS: 168 * 3600 });
    expect(tooFar.status).toBe(400);
    expect(tooFar.json.error.message).toMatch(/would pass the maximum lifetime of 7d; at most 6d \d+h/);
    const zero = await act(extendRoute, "extend", "operator", first, { addS: 0 });
    expect(zero.status).toBe(400);
    expect((await act(extendRoute, "extend", "viewer", first, { addS: 60 })).status).toBe(403);
    expect(await snapshot()).toEqual(unchanged);

    await act(extendRoute, "extend", "operator", first, { addS: 86_400 });
    expect((await detail(first)).adviseImage).toBe(false);
    await act(extendRoute, "extend", "operator", first, { addS: 60 });
    const q = await detail(first);
    expect(q.extensions.map((e: Json) => e.addedS)).toEqual([3600, 86_400, 60]);
    expect(q.adviseImage).toBe(true);
    expect(q.deadline).toBe(before.deadline!.getTime() + (3600 + 86_400 + 60) * 1000);
    const logged = db().select().from(events).where(eq(events.action, "quarantine.extend")).all();
    expect(logged).toHaveLength(3);
  });

  let second = 0;
  it("Cancel self-destruct keeps the container past its old deadline; Destroy now removes it and keeps a forensic bundle", async () => {
    const res = await quarantine(
      "operator",
      { hostId: hostId("beta"), container: "quar-it-r1-beta-1", reason: "integration: odd 500s", lifetimeS: 12 },
      false,
    );
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    second = res.json.quarantine.id;
    const busy = await quarantine("operator", { hostId: hostId("alpha"), container: "quar-it-r1-alpha-2", reason: "while another runs" });
    expect(busy.status).toBe(409);
    expect(busy.json.error.message).toMatch(/quar-it: quarantine #\d+ by quar-op is in progress/);
    const opId = res.json.operation.id as number;
    await until(
      "quarantine operation ends",
      () => (operationWithSteps(opId)!.status === "running" ? undefined : operationWithSteps(opId)!.status),
      30_000,
      100,
    );
    expect(operationWithSteps(opId)!.status).toBe("succeeded");
    const dockerId = res.json.quarantine.dockerId as string;
    // Something to find afterwards: a note, and a file bigger than the 1 MB cap.
    const exec = await labDocker("beta")
      .getContainer(dockerId)
      .exec({
        Cmd: [
          "/bin/busybox",
          "sh",
          "-c",
          "echo debug-notes > /www/debug.txt && busybox mkdir -p /tmp && busybox dd if=/dev/zero of=/tmp/big bs=1024 count=2048",
        ],
        User: "0",
        AttachStdout: true,
        AttachStderr: true,
      });
    (await exec.start({})).resume();
    await until("debug commands ran", async () => ((await exec.inspect()).Running ? undefined : true), 10_000, 100);
    expect((await exec.inspect()).ExitCode).toBe(0);

    const noReason = await act(cancelRoute, "cancel", "admin", second, {});
    expect(noReason.status).toBe(400);
    expect(noReason.json.error.message).toMatch(/reason: required/);
    const byOperator = await act(cancelRoute, "cancel", "operator", second, { reason: "still digging" });
    expect(byOperator.status).toBe(403);
    expect(byOperator.json.error.message).toMatch(/needs the admin role/);
    const oldDeadline = rowOf(second).deadline!.getTime();
    const cancelled = await act(cancelRoute, "cancel", "admin", second, { reason: "root cause not found yet; keep it" });
    expect(cancelled.status, JSON.stringify(cancelled.json)).toBe(200);
    expect(cancelled.json.quarantine).toMatchObject({
      deadline: null,
      cancelled: { by: "quar-admin", reason: "root cause not found yet; keep it" },
    });
    expect((await act(extendRoute, "extend", "operator", second, { addS: 60 })).status).toBe(409);

    while (Date.now() < oldDeadline + 2500) {
      await runQuarantineTimers({ wait: true });
      await sleep(250);
    }
    expect((await inspectOrNull("beta", dockerId))?.State.Running).toBe(true);
    expect(rowOf(second)).toMatchObject({ status: "active", deadline: null, attempts: 0 });
    const drift = await detail(second);
    expect(drift.drift.total).toBeGreaterThanOrEqual(3); // /www/debug.txt, /tmp/big and their directories

    const destroyed = await act(destroyRoute, "destroy", "operator", second);
    expect(destroyed.status, JSON.stringify(destroyed.json)).toBe(200);
    expect(destroyed.json.quarantine).toMatchObject({
      status: "destroyed",
      destroyedBy: "quar-op",
      forensics: { truncated: true, capBytes: 1024 * 1024 },
    });
    expect(await inspectOrNull("beta", dockerId)).toBeNull();
    expect(containerRow("quar-it-r1-beta-1").removedAt).not.toBeNull();

    const files = await bundle(rowOf(second).forensicsPath!);
    expect([...files.keys()].filter((k) => !k.startsWith("files/")).sort()).toEqual([
      "SHA256SUMS",
      "changes.json",
      "image-history.json",
      "inspect.json",
      "logs.txt",
      "manifest.json",
      "processes-at-destroy.json",
      "processes-at-quarantine.json",
      "steps.json",
      "transcript.json",
      "transcript.txt",
    ]);
    expect(files.get("files/www/debug.txt")?.toString()).toBe("debug-notes\n");
    expect(files.has("files/tmp/big")).toBe(false);
    const manifest = JSON.parse(files.get("manifest.json")!.toString()) as Json;
    expect(manifest.files).toMatchObject({ capBytes: 1024 * 1024, truncated: true, skipped: [{ path: "/tmp/big" }] });
    expect(manifest.redactedEnv).toEqual(["API_KEY"]);
    const inspect = JSON.parse(files.get("inspect.json")!.toString()) as Json;
    expect(inspect.Config.Env).toContain(`API_KEY=${REDACTED}`);
    expect(inspect.Config.Env).toContain("GREETING=hello from quarantine");
    expect(files.get("inspect.json")!.toString()).not.toContain(SECRET);
    expect(JSON.parse(files.get("changes.json")!.toString())).toEqual(expect.arrayContaining([{ Path: "/www/debug.txt", Kind: 1 }]));

    const download = await call(forensicsRoute.GET as Handler, "operator", `/api/quarantines/${second}/forensics`, undefined, {
      id: String(second),
    });
    expect(download.status).toBe(200);
    expect(download.json.bytes).toBe(fs.statSync(rowOf(second).forensicsPath!).size);
    expect(
      (await call(forensicsRoute.GET as Handler, "viewer", `/api/quarantines/${second}/forensics`, undefined, { id: String(second) }))
        .status,
    ).toBe(403);

    const unchanged = await snapshot();
    expect((await act(destroyRoute, "destroy", "operator", second)).json.error.message).toMatch(/already destroyed/);
    expect((await act(extendRoute, "extend", "operator", second, { addS: 60 })).status).toBe(409);
    const requarantine = await quarantine("operator", { hostId: hostId("beta"), container: dockerId, reason: "again" });
    expect(requarantine.status).toBe(409);
    expect(requarantine.json.error.message).toMatch(/already quarantined \(#\d+\) and is destroyed/);
    expect(await snapshot()).toEqual(unchanged);
  });

  it("retries an unreachable host with backoff and shows it as overdue", async () => {
    createHost(system, { name: "quar-dead", url: `unix://${path.join(os.tmpdir(), `switchyard-dead-${process.pid}.sock`)}` });
    const deadId = hostId("quar-dead");
    const now = new Date();
    const row = db()
      .insert(quarantines)
      .values({
        releaseContainerId: -1,
        hostId: deadId,
        hostName: "quar-dead",
        dockerId: "0123456789abcdef",
        originalName: "ghost",
        quarantinedName: "ghost-quarantined",
        serviceName: SERVICE,
        releaseNumber: 1,
        reason: "arranged: a container on a host that went away",
        quarantinedBy: "integration-test",
        quarantinedAt: new Date(now.getTime() - 60_000),
        deadline: new Date(now.getTime() - 1000),
        status: "active",
      })
      .returning()
      .get();
    try {
      await runQuarantineTimers({ wait: true });
      const a1 = rowOf(row.id);
      expect(a1).toMatchObject({ status: "active", attempts: 1 });
      expect(a1.lastError).toMatch(/socket not found|ENOENT/);
      expect(a1.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(3000);
      const v = await detail(row.id);
      expect(v).toMatchObject({ overdue: true, drift: null, attempts: 1 });
      expect(v.driftError).toMatch(/socket not found|ENOENT/);

      await runQuarantineTimers({ wait: true }); // within the backoff: no new attempt
      expect(rowOf(row.id).attempts).toBe(1);
      await until(
        "second attempt",
        async () => {
          await runQuarantineTimers({ wait: true });
          return rowOf(row.id).attempts === 2 ? true : undefined;
        },
        10_000,
        250,
      );
      const a2 = rowOf(row.id);
      expect(a2.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(8000); // 10 s after the second failure
      const failed = db()
        .select()
        .from(events)
        .where(and(eq(events.action, "quarantine.destroy"), eq(events.outcome, "failed")))
        .all();
      expect(failed).toHaveLength(1); // the same error is logged once, not every retry

      const now503 = await act(destroyRoute, "destroy", "operator", row.id);
      expect(now503.status).toBe(503);
      expect(now503.json.error.message).toMatch(/the timer retries in 20s \(attempt 3\), with backoff/);
    } finally {
      db().delete(quarantines).where(eq(quarantines.id, row.id)).run();
      db().delete(hosts).where(eq(hosts.id, deadId)).run();
    }
  });

  it("durable timers: a deadline that passed while the dashboard was down is executed within seconds of start (warning first, re-armed by an extension)", async () => {
    const first = await startDashboard();
    const { quarantineId, done } = await quarantineContainer(people.operator, {
      hostId: hostId("alpha"),
      container: "quar-it-r1-alpha-2",
      reason: "integration: restart test",
      lifetimeS: 9,
    });
    await done;
    const q = rowOf(quarantineId);
    const warnings = () =>
      db()
        .select()
        .from(events)
        .where(and(eq(events.action, "quarantine.warning"), eq(events.containerName, q.quarantinedName)))
        .all();
    await until("first warning (from the running dashboard)", () => (warnings().length === 1 ? true : undefined), 12_000, 100);
    extendQuarantine(people.operator, quarantineId, { addS: 6 });
    expect(rowOf(quarantineId).warnedAt).toBeNull();
    await until("second warning after the extension", () => (warnings().length === 2 ? true : undefined), 12_000, 50);
    await stopDashboard(first.proc);
    const deadline = rowOf(quarantineId).deadline!.getTime();
    expect(Date.now()).toBeLessThan(deadline);

    await sleep(deadline - Date.now() + 3000); // the deadline passes while nothing runs
    expect((await inspectOrNull("alpha", q.dockerId))?.State.Running).toBe(true);
    expect(rowOf(quarantineId).status).toBe("active");

    const second = await startDashboard();
    const gone = await until(
      "container destroyed after the restart",
      async () => ((await inspectOrNull("alpha", q.dockerId)) === null ? Date.now() : undefined),
      20_000,
      100,
    );
    const afterStart = gone - second.spawnedAt;
    console.info(`[quarantine] destroyed ${afterStart} ms after the dashboard was started (${gone - deadline} ms after its deadline)`);
    expect(afterStart).toBeLessThan(10_000);
    await until("recorded as destroyed", () => (rowOf(quarantineId).status === "destroyed" ? true : undefined), 5000);
    expect(rowOf(quarantineId)).toMatchObject({ destroyedBy: "timer", attempts: 1 });
    expect(fs.existsSync(rowOf(quarantineId).forensicsPath!)).toBe(true);
    expect(
      db()
        .select()
        .from(events)
        .where(and(eq(events.action, "quarantine.destroy"), eq(events.outcome, "ok"), eq(events.containerName, q.quarantinedName)))
        .all(),
    ).toHaveLength(1);
    await stopDashboard(second.proc);
  });

  it("a quarantine cut off by a restart is completed as recorded: kept quarantined, half-started replacement removed, out of HAProxy, renamed", async () => {
    const target = containerRow("quar-it-r1-alpha-3");
    expect(await serverNames()).toContain("r1-alpha-3");
    const service = db().select().from(services).where(eq(services.name, SERVICE)).get()!;
    const op = db()
      .insert(operations)
      .values({
        kind: "quarantine",
        serviceId: service.id,
        releaseId: target.releaseId,
        status: "running",
        actor: "quar-op",
        startedAt: new Date(),
      })
      .returning()
      .get();
    const now = new Date();
    db().update(releaseContainers).set({ quarantinedAt: now }).where(eq(releaseContainers.id, target.id)).run();
    const q = db()
      .insert(quarantines)
      .values({
        releaseContainerId: target.id,
        hostId: target.hostId,
        hostName: "alpha",
        dockerId: target.dockerId!,
        originalName: target.name,
        quarantinedName: `${target.name}-quarantined-arranged`,
        serviceName: SERVICE,
        releaseNumber: 1,
        operationId: op.id,
        reason: "arranged: the server died during the quarantine",
        quarantinedBy: "quar-op",
        quarantinedAt: now,
        deadline: new Date(now.getTime() + 3_600_000),
        status: "active",
      })
      .returning()
      .get();
    db()
      .insert(releaseContainers)
      .values({
        releaseId: target.releaseId,
        hostId: target.hostId,
        slot: target.slot,
        name: "quar-it-r1-alpha-4",
        port: 29_999,
        serverName: "r1-alpha-4",
        createdAt: new Date(now.getTime() + 10),
      })
      .returning()
      .get();

    await resumeOperations();
    expect(operationWithSteps(op.id)).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/interrupted by a server restart: quarantined without a replacement/),
    });
    expect(containerRow("quar-it-r1-alpha-4").removedAt).not.toBeNull();
    expect(containerRow(target.name).quarantinedAt).not.toBeNull();
    expect(await serverNames()).toEqual(["r1-beta-2"]);
    expect((await inspectOrNull("alpha", target.dockerId!))?.Name).toBe(`/${target.name}-quarantined-arranged`);
    expect(rowOf(q.id).status).toBe("active");
  });

  it("the last container of a release gets its replacement first, so no request fails", async () => {
    createService(system, {
      name: SOLO,
      image: REPO,
      placement: [{ host: "alpha", replicas: 1 }],
      healthCheck: { path: "/health", expectStatus: 200, intervalMs: 300, timeoutMs: 1000, healthyAfter: 2, gateTimeoutS: 10 },
      haproxy: { backend: SOLO_BACKEND, previewBackend: SOLO_PREVIEW_BACKEND },
    });
    await deploy(SOLO, "1.1.0");
    expect(await serverNames(SOLO_BACKEND)).toEqual(["r1-alpha-1"]);
    const loops = requestLoops(SOLO_FRONT);
    await sleep(300);
    const res = await quarantine("operator", {
      hostId: hostId("alpha"),
      container: "quar-solo-r1-alpha-1",
      reason: "integration: the only one",
    });
    await sleep(500);
    const samples = await loops.stop();
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.operation.status, JSON.stringify(res.json.operation.steps)).toBe("succeeded");
    expect(res.json.operation.steps.map((s: Json) => s.name.split(":")[0].split(" from")[0])).toEqual([
      "start a replacement",
      "take r1-alpha-1 out of traffic",
      `rename to quar-solo-r1-alpha-1-quarantined-${res.json.quarantine.id} on alpha`,
    ]);
    expect(failuresOf(samples)).toEqual([]);
    expect(samples.length).toBeGreaterThan(30);
    expect(await serverNames(SOLO_BACKEND)).toEqual(["r1-alpha-2"]);
    expect(res.json.quarantine.deadline - res.json.quarantine.quarantinedAt).toBe(24 * 3600 * 1000); // the default lifetime
  });
});
