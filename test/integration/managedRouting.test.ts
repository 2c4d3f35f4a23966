/**
 * Issue 12, managed routing, against the real lab HAProxy (master-worker, it
 * loads every *.cfg in lab.json's haproxy.managedDir). This file writes its
 * own include file there. A service created with `haproxy.managed` answers on
 * its bind after its first deploy with no hand edit of haproxy.cfg; switch
 * works; deleting it removes its frontend and backend; a configuration HAProxy
 * refuses (validation) or cannot start (a bind in use) changes nothing and says why.
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lab, system, useTempDataDir } from "./lab";
import { expectServing, get, removeContainersNamed } from "./releaseLab";

const L = lab() as ReturnType<typeof lab> & { labDir: string; haproxy: { masterSocket?: string; config?: string; managedDir?: string } };
// lab.json written by an older up.sh lacks these; the paths are the lab's own.
const HAP = path.join(L.labDir, "haproxy");
const MASTER = L.haproxy.masterSocket ?? path.join(HAP, "master.sock");
const MANAGED_DIR = L.haproxy.managedDir ?? path.join(HAP, "managed.d");
useTempDataDir("managed-routing");
const MANAGED_FILE = path.join(MANAGED_DIR, `it-managed-${process.pid}.cfg`);
process.env.SWITCHYARD_HAPROXY_CONFIG = L.haproxy.config ?? `${path.join(HAP, "haproxy.cfg")},${MANAGED_DIR}`;
process.env.SWITCHYARD_HAPROXY_MANAGED_FILE = MANAGED_FILE;
process.env.SWITCHYARD_HAPROXY_MASTER_SOCKET = MASTER;

const { addLabHosts, deploySucceeded, serviceSpec, onHosts, haproxyStatRows } = await import("./fixtures");
const { createRoutedService, deleteRoutedService } = await import("@/server/routing/managed/saveRoutedService");
const { errorResponse } = await import("@/server/http/errorResponse");
const { switchTraffic } = await import("@/server/releases/switchTraffic");
const { retireStandby } = await import("@/server/releases/retireStandby");
const { releaseWithStatus, setReleaseStatus } = await import("@/server/releases/releaseRows");
const { removeReleaseContainers } = await import("@/server/releases/removeReleaseContainers");
const { serviceByName, listServiceRows } = await import("@/server/services/serviceRows");
const { lastReloads } = await import("@/server/routing/managed/reloadRows");
const { haproxyCommand } = await import("@/server/haproxy/runtimeApi");
const { reloadThroughMaster } = await import("@/server/routing/managed/masterCli");
const { reconcileRouting } = await import("@/server/routing/reconcileRouting");

const SOCKET = L.haproxy.adminSocket;
const SERVICE = "itmr-web";
const BIND = "127.0.0.1:18210";
const PREVIEW_BIND = "127.0.0.1:18211";
const FRONT = `http://${BIND}`;
const PREVIEW = `http://${PREVIEW_BIND}`;
const FOREIGN_FILE = path.join(MANAGED_DIR, `it-managed-foreign-${process.pid}.cfg`);

const managedSpec = (name: string, bind: string, previewBind?: string) => {
  const { haproxy: _existing, ...spec } = serviceSpec(name, { placement: onHosts("alpha") });
  return { ...spec, haproxy: { managed: { bind, ...(previewBind ? { previewBind } : {}) } } };
};

async function answerOf(run: () => Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await run();
  } catch (err) {
    const res = errorResponse(err);
    return { status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message };
  }
  throw new Error("expected the call to be refused; it succeeded");
}

const backends = async () => (await haproxyCommand(SOCKET, "show backend")).split("\n").map((l) => l.trim());
const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port }, () => (s.destroy(), resolve(true)));
    s.on("error", () => resolve(false));
  });
const context = () => haproxyStatRows(SOCKET, ["sy-itmr-web", "sy-itmr-web.preview"]);

async function takeDown(name: string) {
  const service = serviceByName(name);
  for (const status of ["live", "standby", "candidate"] as const) {
    const r = releaseWithStatus(service.id, status);
    if (!r) continue;
    await removeReleaseContainers([r.id]);
    setReleaseStatus(r.id, "retired", { retiredAt: new Date() });
  }
}

async function cleanUp() {
  fs.rmSync(FOREIGN_FILE, { force: true });
  for (const row of listServiceRows()) {
    await takeDown(row.name).catch(() => undefined);
    await deleteRoutedService(system, row.name).catch(() => undefined);
  }
  await removeContainersNamed(`${SERVICE}-r`);
}

beforeAll(async () => {
  await removeContainersNamed(`${SERVICE}-r`);
  addLabHosts("alpha");
});
afterAll(async () => {
  await cleanUp();
  // Our file leaves the directory; one last reload takes its (now empty) sections out of HAProxy.
  fs.rmSync(MANAGED_FILE, { force: true });
});

describe("managed routing", () => {
  it("a service created through the API with managed routing answers on its bind after its first deploy, and switches", async () => {
    expect(await portOpen(18210)).toBe(false);
    await createRoutedService(system, managedSpec(SERVICE, BIND, PREVIEW_BIND));
    // The frontend exists at once; with no release yet HAProxy has no server for it.
    expect(await backends()).toEqual(expect.arrayContaining(["sy-itmr-web", "sy-itmr-web.preview"]));
    expect((await get(`${FRONT}/version`)).status).toBe(503);
    expect(fs.readFileSync(MANAGED_FILE, "utf8")).toContain(`frontend fe.sy-itmr-web\n    mode http\n    bind ${BIND}\n`);

    await deploySucceeded(SERVICE, "1.0.0");
    const file = fs.readFileSync(MANAGED_FILE, "utf8");
    // The include file carries the server at the weight the runtime API gave it: a reload by anyone keeps it serving.
    expect(file).toMatch(/\n {4}server r1-alpha-1 127\.0\.0\.1:\d+ check inter 300 fall 2 rise 1 weight 100\n/);
    await expectServing(FRONT, { versions: ["1.0.0"] }, context);

    await deploySucceeded(SERVICE, "1.1.0");
    await expectServing(PREVIEW, { versions: ["1.1.0"] }, context);
    await expectServing(FRONT, { versions: ["1.0.0"] }, context);
    // The candidate's server is in the file (a later reload keeps it), at the runtime weight it had: 0 on the live backend.
    expect(fs.readFileSync(MANAGED_FILE, "utf8")).toMatch(
      /\n {4}server r2-alpha-1 127\.0\.0\.1:\d+ check inter 300 fall 2 rise 1 weight 0\n/,
    );

    const reloadsBefore = lastReloads(100).length;
    expect(reloadsBefore).toBe(1);
    await switchTraffic(system, SERVICE, "switch");
    await expectServing(FRONT, { versions: ["1.1.0"] }, context);
    // A switch is runtime API only: no reload; the file follows the new weights (r1 drained), for whoever reloads next.
    expect(lastReloads(100).length).toBe(reloadsBefore);
    const switched = fs.readFileSync(MANAGED_FILE, "utf8");
    expect(switched).toMatch(/\n {4}server r1-alpha-1 127\.0\.0\.1:\d+ check inter 300 fall 2 rise 1 weight 0 {2}# drain\n/);
    expect(switched).toMatch(/\n {4}server r2-alpha-1 127\.0\.0\.1:\d+ check inter 300 fall 2 rise 1 weight 100\n/);

    await retireStandby(system, SERVICE);
    await expectServing(FRONT, { versions: ["1.1.0"] }, context);
    expect(fs.readFileSync(MANAGED_FILE, "utf8")).not.toContain("server r1-alpha-1");
    // One reload, when the service (its frontends and backends) was created; servers came and went through the runtime API.
    const reloads = lastReloads(100);
    expect(reloads.map((r) => ({ outcome: r.outcome, error: r.error, trigger: r.trigger }))).toEqual([
      { outcome: "ok", error: null, trigger: `create ${SERVICE}` },
    ]);
    expect(reloads[0]!.durationMs).toBeGreaterThan(0);
  });

  it("a lost include file converges on reconcile, servers and weights included", async () => {
    fs.writeFileSync(MANAGED_FILE, "");
    await reloadThroughMaster(MASTER, SOCKET);
    expect(await backends()).not.toContain("sy-itmr-web");
    await reconcileRouting();
    expect(await backends()).toContain("sy-itmr-web");
    await expectServing(FRONT, { versions: ["1.1.0"] }, context);
    expect(lastReloads(1)[0]).toMatchObject({ outcome: "ok", trigger: "reconcile" });
  });

  it("a bind another program listens on is refused before anything changes", async () => {
    const before = fs.readFileSync(MANAGED_FILE, "utf8");
    const demoPort = new URL(L.haproxy.frontends["demo-web"]!).port;
    const answer = await answerOf(() => createRoutedService(system, managedSpec("itmr-busy", `127.0.0.1:${demoPort}`)));
    expect(answer.status).toBe(409);
    expect(answer.message).toContain(`127.0.0.1:${demoPort} (service itmr-busy) is in use by another program`);
    expect(fs.readFileSync(MANAGED_FILE, "utf8")).toBe(before);
    expect(listServiceRows().map((r) => r.name)).toEqual([SERVICE]);
    expect(lastReloads(1)[0]).toMatchObject({ outcome: "invalid", trigger: "create itmr-busy" });
  });

  it("a configuration HAProxy refuses (haproxy -c) changes nothing and says why", async () => {
    // Someone already wrote a backend of the name Switchyard would generate.
    fs.writeFileSync(FOREIGN_FILE, "backend sy-itmr-clash\n    mode http\n");
    const before = fs.readFileSync(MANAGED_FILE, "utf8");
    const workerBefore = /^Pid: (\d+)/m.exec(await haproxyCommand(SOCKET, "show info"))![1];
    const answer = await answerOf(() => createRoutedService(system, managedSpec("itmr-clash", "127.0.0.1:18212")));
    fs.rmSync(FOREIGN_FILE, { force: true });
    expect(answer.status).toBe(400);
    expect(answer.message).toMatch(/^HAProxy refused the managed routing configuration; nothing was changed\. haproxy -c said: /);
    expect(answer.message).toContain("sy-itmr-clash");
    expect(fs.readFileSync(MANAGED_FILE, "utf8")).toBe(before);
    expect(/^Pid: (\d+)/m.exec(await haproxyCommand(SOCKET, "show info"))![1]).toBe(workerBefore);
    expect(await portOpen(18212)).toBe(false);
    expect(listServiceRows().map((r) => r.name)).toEqual([SERVICE]);
    expect(lastReloads(1)[0]).toMatchObject({ outcome: "invalid", trigger: "create itmr-clash" });
    expect(lastReloads(1)[0]!.error).toContain("sy-itmr-clash");
  });

  it("deleting the service removes its frontend and backends", async () => {
    await takeDown(SERVICE);
    expect(await deleteRoutedService(system, SERVICE)).toEqual({ routing: null });
    const listed = await backends();
    expect(listed).not.toContain("sy-itmr-web");
    expect(listed).not.toContain("sy-itmr-web.preview");
    expect(await haproxyCommand(SOCKET, "show stat")).not.toContain("sy-itmr-web");
    expect(await portOpen(18210)).toBe(false);
    expect(await portOpen(18211)).toBe(false);
    expect(fs.readFileSync(MANAGED_FILE, "utf8")).not.toContain("itmr-web");
  });
});
