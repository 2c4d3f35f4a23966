/**
 * Issue 11 against the real lab: tcp and exec health checks, and a service
 * without HAProxy routing released end to end. demo-web is busybox, so exec
 * checks run /bin/busybox inside the container.
 *
 *   hk-tcp    (it-web backends) tcp check: r1 live, r2 candidate
 *   hk-exec   (no routing) exec check that exits 1: the gate fails with exit code and output
 *   hk-worker (no routing) exec check that exits 0: deploy, switch, rollback, retire without HAProxy
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lab, system, useTempDataDir } from "./lab";
import { inspectOrNull, removeContainersNamed } from "./releaseLab";

const dataDir = useTempDataDir("health-kinds");

const { db } = await import("@/db/client");
const { addLabHosts, clearService, containersOfRelease, deployToEnd, onHosts, serviceSpec } = await import("./fixtures");
const { createService } = await import("@/server/services/saveService");
const { serviceByName } = await import("@/server/services/serviceRows");
const { switchTraffic } = await import("@/server/releases/switchTraffic");
const { retireStandby } = await import("@/server/releases/retireStandby");
const { releaseByNumber } = await import("@/server/releases/releaseRows");
const { serviceOverview } = await import("@/server/services/serviceOverview");
const { reconcileRouting } = await import("@/server/routing/reconcileRouting");
const { haproxyCommand } = await import("@/server/haproxy/runtimeApi");

const L = lab();
const SOCKET = L.haproxy.adminSocket;
const TCP = "hk-tcp";
const EXEC = "hk-exec";
const WORKER = "hk-worker";
const timing = { intervalMs: 200, timeoutMs: 1000, healthyAfter: 2 };

const rel = (service: string, n: number) => releaseByNumber(serviceByName(service).id, n);
/** Every server of every lab backend: a service without routing must not change it. */
const allServers = async () =>
  (await haproxyCommand(SOCKET, "show servers state"))
    .split("\n")
    .filter((l) => /^\d+ /.test(l))
    .map((l) => l.split(/\s+/).slice(1, 5).join(" "))
    .sort();

const cleanUp = async () => {
  await clearService(TCP, SOCKET, ["it-web", "it-web-preview"]);
  await removeContainersNamed(`${EXEC}-r`);
  await removeContainersNamed(`${WORKER}-r`);
};

beforeAll(async () => {
  await cleanUp();
  addLabHosts("alpha", "beta");
  createService(
    system,
    serviceSpec(TCP, {
      placement: onHosts("alpha", "beta"),
      healthCheck: { kind: "tcp", ...timing, gateTimeoutS: 10 },
      haproxy: { backend: "it-web" },
    }),
  );
  createService(
    system,
    serviceSpec(EXEC, {
      placement: onHosts("alpha"),
      healthCheck: {
        kind: "exec",
        command: ["/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:1/health"],
        ...timing,
        gateTimeoutS: 3,
      },
      haproxy: null,
    }),
  );
  createService(
    system,
    serviceSpec(WORKER, {
      placement: onHosts("alpha", "beta"),
      healthCheck: { kind: "exec", command: ["/bin/busybox", "true"], ...timing, gateTimeoutS: 10 },
      haproxy: null,
    }),
  );
});

afterAll(async () => {
  await cleanUp().catch((err) => console.error("[healthKinds] clean-up failed:", err));
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("health check kinds and services without routing (real lab)", () => {
  it("a tcp-checked release passes its gate by TCP connect and goes candidate", async () => {
    const first = await deployToEnd(TCP, "deploy", { image: "1.0.0" });
    expect(first.status, JSON.stringify(first.steps)).toBe("succeeded");
    expect(rel(TCP, 1).status).toBe("live");
    const op = await deployToEnd(TCP, "deploy", { image: "1.1.0" });
    expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
    expect(op.steps.map((s) => s.name)).toContain("health gate: TCP connect (up to 10 s)");
    expect(op.steps.map((s) => s.name)).toContain("register in HAProxy as preview (weight 0)");
    expect(rel(TCP, 2).status).toBe("candidate");
    expect(rel(TCP, 1).status).toBe("live");
  });

  it("an exec check that exits 1 fails the gate with the exit code and the command's output", async () => {
    const before = await allServers();
    const op = await deployToEnd(EXEC, "deploy", { image: "1.0.0" });
    expect(op.status).toBe("failed");
    const r1 = rel(EXEC, 1);
    expect(r1.status).toBe("failed");
    expect(r1.failureReason).toMatch(/unhealthy after 3 s — exec \/bin\/busybox wget .*: exited 1: wget: can't connect to remote host/);
    for (const c of containersOfRelease(EXEC, 1)) expect(await inspectOrNull(c.engine, c.dockerId!)).toBeNull();
    expect(await allServers()).toEqual(before);
  });

  it("a service without haproxy deploys, switches and rolls back with no HAProxy backend involved", async () => {
    const before = await allServers();
    const first = await deployToEnd(WORKER, "deploy", { image: "1.0.0" });
    expect(first.status, JSON.stringify(first.steps)).toBe("succeeded");
    expect(first.steps.map((s) => s.name)).toContain("health gate: exec /bin/busybox true (up to 10 s)");
    expect(first.steps.map((s) => s.name)).not.toContain("register in HAProxy as preview (weight 0)");
    expect(rel(WORKER, 1).status).toBe("live");

    const second = await deployToEnd(WORKER, "deploy", { image: "1.1.0" });
    expect(second.status, JSON.stringify(second.steps)).toBe("succeeded");
    expect(rel(WORKER, 2).status).toBe("candidate");

    const sw = await switchTraffic(system, WORKER, "switch");
    expect(sw).toMatchObject({ live: 2, standby: 1 });
    expect([rel(WORKER, 1).status, rel(WORKER, 2).status]).toEqual(["standby", "live"]);

    const back = await switchTraffic(system, WORKER, "rollback");
    expect(back).toMatchObject({ live: 1, standby: 2 });
    expect([rel(WORKER, 1).status, rel(WORKER, 2).status]).toEqual(["live", "standby"]);
    for (const c of containersOfRelease(WORKER, 1)) expect((await inspectOrNull(c.engine, c.dockerId!))?.State.Running).toBe(true);

    const overview = await serviceOverview(WORKER);
    expect(overview.haproxy).toEqual({ ok: true, error: null, routed: false });
    await reconcileRouting();

    await retireStandby(system, WORKER);
    expect(rel(WORKER, 2).status).toBe("retired");
    for (const c of containersOfRelease(WORKER, 2)) expect(await inspectOrNull(c.engine, c.dockerId!)).toBeNull();
    expect(await allServers()).toEqual(before);
  });
});
