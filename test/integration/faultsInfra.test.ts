/**
 * Faults of the infrastructure around the dashboard, against the real lab
 * plus parts this file owns, so that the shared engines, registry and HAProxy
 * are never stopped under the other tests:
 *
 *   - a Docker engine of its own (`gamma`, a real dockerd in a temp dir) is
 *     stopped during a deploy and during a drift scan (and hangs, SIGSTOP,
 *     during another scan); alpha is the host that keeps working;
 *   - the registry is down: the service's image points at a registry address
 *     nothing listens on;
 *   - HAProxy (a private instance) is stopped and restarted.
 *
 * Each checks that nothing is lost (the live release keeps serving, the
 * engines and the record agree about the containers) and that the API says
 * what happened (operation, release log, service overview, drift report,
 * fleet), through the real route handlers.
 */
import fs from "node:fs";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountingProblems, callRoute, freePort, probe, startOwnEngine, startPrivateHaproxy } from "./faultLab";
import { labDocker, system, useTempDataDir } from "./lab";
import { expectServing, failuresOf, removeContainersNamed, requestLoops, sleep, until } from "./releaseLab";

const dataDir = useTempDataDir("faults-infra");
process.env.SWITCHYARD_HOST_TIMEOUT_MS = "3000";
const ENG = "flt-eng";
const REG = "flt-reg";
const HAP = "flt-hap";
const hap = await startPrivateHaproxy(dataDir, [ENG, `${ENG}-preview`, REG, `${REG}-preview`, HAP, `${HAP}-preview`]);
process.env.SWITCHYARD_HAPROXY_SOCKET = hap.socket;
const gamma = await startOwnEngine("gamma");

const { db } = await import("@/db/client");
const { events, operations, releaseContainers, releases } = await import("@/db/schema");
const { addLabHosts, demoVersions, deploySucceeded: deployHere, onHosts, person, serviceSpec } = await import("./fixtures");
const { createHost } = await import("@/server/hosts/createHost");
const { createService, updateService } = await import("@/server/services/saveService");
const { serviceByName, specOf } = await import("@/server/services/serviceRows");
const { deployRelease } = await import("@/server/releases/deployRelease");
const { activeContainersOf, releaseWithStatus } = await import("@/server/releases/releaseRows");
const { operationWithSteps } = await import("@/server/operations/operationLog");
const { reconcileRouting } = await import("@/server/routing/reconcileRouting");
const { applyBackend } = await import("@/server/haproxy/applyBackend");
const { backendServers } = await import("@/server/haproxy/serverState");
const deployRoute = await import("@/app/api/services/[name]/deploy/route");
const serviceRoute = await import("@/app/api/services/[name]/route");
const eventsRoute = await import("@/app/api/events/route");
const scansRoute = await import("@/app/api/drift/scans/route");
const scanRoute = await import("@/app/api/drift/scans/[id]/route");
const driftRoute = await import("@/app/api/drift/route");
const fleetRoute = await import("@/app/api/fleet/route");

const { VERSIONS, versionOf } = demoVersions();
const operator = person("flt-operator", "operator");
const viewer = person("flt-viewer", "viewer");
const get = (handler: unknown, url: string, params: Record<string, string> = {}) =>
  callRoute(handler, viewer.token, "GET", url, undefined, params);

const svcId = (name: string) => serviceByName(name).id;
const stepRunning = (opId: number, prefix: string) =>
  operationWithSteps(opId)?.steps.some((s) => s.name.startsWith(prefix) && s.status === "running") ?? false;
const eventsOf = (service: string, action: string) =>
  db()
    .select()
    .from(events)
    .where(and(eq(events.serviceName, service), eq(events.action, action)))
    .all();
const releaseCount = (name: string) =>
  db()
    .select()
    .from(releases)
    .where(eq(releases.serviceId, svcId(name)))
    .all().length;

/** One replica on each of `placement`, checked every 200 ms with a 20 s gate; `healthyAfter` passes make a container healthy. */
const spec = (name: string, placement: string[], healthyAfter = 2) =>
  serviceSpec(name, { placement: onHosts(...placement), healthCheck: { intervalMs: 200, healthyAfter, gateTimeoutS: 20 } });

/** The live release serves its version from its (running) containers on `servers`. */
async function expectLiveServing(service: string, servers?: string[]) {
  const live = releaseWithStatus(svcId(service), "live")!;
  const want = servers ?? activeContainersOf([live.id]).map((c) => c.container.serverName);
  await expectServing(hap.front(service), { versions: [versionOf(live.imageDigest)], servers: want }, () =>
    hap.view(service, `${service}-preview`),
  );
}

async function cleanUp() {
  for (const s of [ENG, REG, HAP]) await removeContainersNamed(`${s}-r`);
  for (const b of [ENG, REG, HAP]) {
    await applyBackend(hap.socket, b, []).catch(() => undefined);
    await applyBackend(hap.socket, `${b}-preview`, []).catch(() => undefined);
  }
}

beforeAll(async () => {
  await cleanUp();
  addLabHosts("alpha", "beta");
  createHost(system, { name: "gamma", url: gamma.url });
  createService(system, spec(ENG, ["alpha", "gamma"]));
  createService(system, spec(REG, ["alpha", "beta"]));
  createService(system, spec(HAP, ["alpha", "beta"]));
  for (const s of [ENG, REG, HAP]) await deployHere(s, "1.0.0");
});

afterAll(async () => {
  await gamma.destroy().catch((err) => console.error("[faultsInfra] engine clean-up failed:", err));
  await hap.start().catch(() => undefined);
  await cleanUp().catch((err) => console.error("[faultsInfra] clean-up failed:", err));
  await hap.stop();
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("a Docker engine stopped", () => {
  it("during a deploy: the deploy fails naming the host, the live release keeps serving, the new containers on the other host are removed", async () => {
    // A long gate, so that the engine stops while the new containers are being checked.
    updateService(system, ENG, spec(ENG, ["alpha", "gamma"], 15));
    const live = releaseWithStatus(svcId(ENG), "live")!;
    const loops = requestLoops(hap.front(ENG));
    const { operationId, done } = deployRelease(operator.actor, ENG, "deploy", { image: "1.1.0" });
    await until("the deploy's health gate", () => (stepRunning(operationId, "health gate") ? true : undefined), 30_000, 20);
    const stopping = Date.now();
    await gamma.stop();
    const stopped = Date.now();
    await done;
    await sleep(1000);
    const samples = await loops.stop();

    const op = operationWithSteps(operationId)!;
    expect(op.status, JSON.stringify(op.steps)).toBe("failed");
    // The engine either still answered while stopping (the container exited) or no longer did: either way the host is named.
    expect(op.error, "the reason names the stopped host").toMatch(
      /^flt-eng-r2-gamma-1 on gamma: container stopped \((exit code \d+|engine gamma does not answer: .+)\)$/,
    );
    console.info(`[faultsInfra] deploy with gamma stopped: ${op.error}`);
    const failed = releaseWithStatus(svcId(ENG), "failed")!;
    expect(failed).toMatchObject({ number: 2, failureReason: op.error });
    const abort = op.steps.find((s) => s.name.startsWith("abort"))!;
    // alpha's new container is gone; gamma's cannot be removed while gamma is down, and the step says so.
    expect(abort).toMatchObject({
      status: "failed",
      detail: expect.stringMatching(/flt-eng-r2-gamma-1 on gamma: .*; the background cleanup retries/),
    });
    const rows = db().select().from(releaseContainers).where(eq(releaseContainers.releaseId, failed.id)).all();
    const alphaRow = rows.find((r) => r.name === "flt-eng-r2-alpha-1")!;
    expect(alphaRow.removedAt).not.toBeNull();
    expect(
      await labDocker("alpha")
        .getContainer(alphaRow.dockerId!)
        .inspect()
        .catch((e: { statusCode?: number }) => e.statusCode),
    ).toBe(404);

    // The live release was not touched: recorded live, still in HAProxy, serving from alpha. Its server on
    // gamma is held at weight 0 while gamma does not answer (README "Switching with a host down").
    expect(releaseWithStatus(svcId(ENG), "live")!.id).toBe(live.id);
    expect((await backendServers(hap.socket, ENG)).map((s) => `${s.name}:${s.weight}`).sort()).toEqual(["r1-alpha-1:100", "r1-gamma-1:0"]);
    // A stopping engine takes its containers down, so requests in flight to r1-gamma-1 then may fail (HAProxy
    // cannot replay them); none before it, and none once HAProxy's check (inter 200 ms, fall 2) saw it down.
    const failures = failuresOf(samples);
    expect(
      failures.filter((f) => f.startedAt < stopping || f.startedAt > stopped + 1000),
      JSON.stringify(failures),
    ).toEqual([]);
    expect(samples.filter((x) => x.startedAt > stopped + 1000 && x.status === 200).length).toBeGreaterThan(10);
    expect(new Set(samples.filter((x) => x.status === 200).map((x) => x.body))).toEqual(new Set(["1.0.0"]));
    console.info(
      `[faultsInfra] ${samples.length} requests during the deploy, ${failures.length} failed in flight while gamma stopped (${stopped - stopping} ms)`,
    );
    await expectLiveServing(ENG, ["r1-alpha-1"]);

    // The API says so: the release log, and the service page (gamma unreachable, with the reason).
    const logged = eventsOf(ENG, "release.deploy").filter((e) => e.outcome === "failed");
    expect(logged.map((e) => e.message)).toEqual([op.error]);
    const page = await get(serviceRoute.GET, `/api/services/${ENG}`, { name: ENG });
    expect(page.status).toBe(200);
    expect(page.json.hostErrors).toEqual([{ host: "gamma", error: expect.stringMatching(/socket not found|connection refused/) }]);
    expect(page.json.live.containers.find((c: { host: string }) => c.host === "gamma")).toMatchObject({
      hostReachable: false,
      state: "unknown",
    });
    expect(page.json.operation).toMatchObject({ id: operationId, status: "failed", error: op.error });

    // gamma comes back (its containers by their restart policy): the reconcile removes what the abort could not.
    await gamma.start();
    await until(
      "r1-gamma-1 running again",
      async () => ((await gamma.docker.listContainers({ filters: { name: ["flt-eng-r1-gamma-1"] } })).length ? true : undefined),
      30_000,
      100,
    );
    await reconcileRouting();
    expect(db().select().from(releaseContainers).where(eq(releaseContainers.name, "flt-eng-r2-gamma-1")).get()!.removedAt).not.toBeNull();
    expect(await accountingProblems(ENG, { alpha: labDocker("alpha"), gamma: gamma.docker })).toEqual([]);
    await expectLiveServing(ENG);
  });

  it("a drift scan while it is stopped: the other host's results arrive; the stopped host is unreachable, with the reason", async () => {
    await gamma.stop();
    const started = await callRoute(scansRoute.POST, operator.token, "POST", "/api/drift/scans?wait=true", {});
    expect(started.status, JSON.stringify(started.json)).toBe(200);
    type HostScan = { host: string; status: string; error: string | null; containersTotal: number; containersDone: number };
    const byHost = Object.fromEntries((started.json.hosts as HostScan[]).map((h) => [h.host, h]));
    expect(started.json.scan.status).toBe("done");
    expect(byHost.gamma).toMatchObject({ status: "unreachable", error: expect.stringMatching(/socket not found .*gamma.*docker\.sock/) });
    expect(byHost.alpha!.status).toBe("done");
    expect(byHost.alpha!.containersDone).toBe(byHost.alpha!.containersTotal);
    expect(byHost.alpha!.containersTotal).toBeGreaterThan(0);

    const report = await get(driftRoute.GET, "/api/drift");
    expect(report.status).toBe(200);
    const section = (host: string) =>
      (
        report.json.hosts as {
          host: string;
          verdict: string;
          scan: { error: string | null } | null;
          containers: { name: string; service: string | null }[];
        }[]
      ).find((h) => h.host === host)!;
    expect(section("gamma")).toMatchObject({ verdict: "unreachable", scan: { error: byHost.gamma!.error } });
    expect(section("alpha").verdict).not.toBe("unreachable");
    expect(section("alpha").containers.map((c) => c.name)).toContain("flt-eng-r1-alpha-1");
    const fleet = await get(fleetRoute.GET, "/api/fleet");
    const fleetHost = (name: string) =>
      (fleet.json.hosts as { name: string; status: { reachable: boolean; error?: string } }[]).find((h) => h.name === name)!;
    expect(fleetHost("gamma").status).toMatchObject({ reachable: false, error: expect.stringMatching(/socket not found/) });
    expect(fleetHost("alpha").status.reachable).toBe(true);
    await expectLiveServing(ENG, ["r1-alpha-1"]);
    await gamma.start();
  });

  it("hanging mid-scan (SIGSTOP): alpha's results are stored while gamma's are awaited; gamma ends unreachable after one host timeout", async () => {
    gamma.freeze();
    try {
      const res = await callRoute(scansRoute.POST, operator.token, "POST", "/api/drift/scans", {});
      expect(res.status).toBe(202);
      const id = String(res.json.scan.id);
      type HostView = { host: string; status: string; error: string | null; finishedAt: number | null };
      const hostsOf = async () => {
        const s = await get(scanRoute.GET, `/api/drift/scans/${id}`, { id });
        return {
          scan: s.json.scan as { status: string },
          hosts: Object.fromEntries((s.json.hosts as HostView[]).map((h) => [h.host, h])) as Record<string, HostView>,
        };
      };
      const midway = await until(
        "alpha's results while gamma hangs",
        async () => {
          const v = await hostsOf();
          return v.hosts.alpha?.status === "done" && v.hosts.gamma?.status === "running" ? v : undefined;
        },
        10_000,
        50,
      );
      expect(midway.scan.status).toBe("running");
      const report = await get(driftRoute.GET, "/api/drift");
      expect(
        (report.json.hosts as { host: string; containers: { name: string }[] }[])
          .find((h) => h.host === "alpha")!
          .containers.map((c) => c.name),
      ).toContain("flt-eng-r1-alpha-1");
      const end = await until(
        "the scan ends",
        async () => {
          const v = await hostsOf();
          return v.scan.status !== "running" ? v : undefined;
        },
        15_000,
        100,
      );
      expect(end.scan.status).toBe("done");
      expect(end.hosts.gamma).toMatchObject({ status: "unreachable", error: "engine gamma: no answer within 3000 ms" });
      expect(end.hosts.alpha!.finishedAt!).toBeLessThan(end.hosts.gamma!.finishedAt!);
    } finally {
      gamma.thaw();
    }
  });
});

describe("the registry down", () => {
  let deadRegistry = "";
  beforeAll(async () => {
    deadRegistry = `127.0.0.1:${await freePort()}`;
    expect((await probe(`http://${deadRegistry}/v2/`)).error).toMatch(/ECONNREFUSED/);
    updateService(system, REG, { ...specOf(serviceByName(REG)), image: `${deadRegistry}/demo-web` });
  });

  /** What a failed deploy must leave alone. */
  async function snapshot() {
    const id = svcId(REG);
    return {
      releases: db().select({ n: releases.number, status: releases.status }).from(releases).where(eq(releases.serviceId, id)).all(),
      containers: db()
        .select({ name: releaseContainers.name, removedAt: releaseContainers.removedAt })
        .from(releaseContainers)
        .all()
        .filter((c) => c.name.startsWith(`${REG}-`) && !c.removedAt),
      servers: (await backendServers(hap.socket, REG)).map((s) => `${s.name}:${s.weight}:${s.adminState}`),
    };
  }

  it("a deploy by tag fails with a clear error naming the registry; nothing changes", async () => {
    const before = await snapshot();
    const res = await callRoute(
      deployRoute.POST,
      operator.token,
      "POST",
      `/api/services/${REG}/deploy?wait=true`,
      { image: "1.1.0" },
      { name: REG },
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const op = res.json.operation as { id: number; status: string; error: string; steps: { name: string; status: string }[] };
    expect(op.status).toBe("failed");
    expect(op.error).toContain(`could not resolve ${deadRegistry}/demo-web:1.1.0 to a digest`);
    expect(op.error).toMatch(/connection refused/);
    expect(op.steps.map((s) => `${s.name}:${s.status}`)).toEqual(["resolve image digest:failed"]);
    expect(await snapshot()).toEqual(before);
    expect(releaseCount(REG)).toBe(1);
    expect(
      eventsOf(REG, "release.deploy")
        .filter((e) => e.outcome === "failed")
        .map((e) => e.message),
    ).toEqual([op.error]);
    expect(await accountingProblems(REG, { alpha: labDocker("alpha"), beta: labDocker("beta") })).toEqual([]);
    await expectLiveServing(REG);
  });

  it("a deploy by digest fails at the pull with a clear error; the release is recorded failed, no container was started", async () => {
    const before = await snapshot();
    const digest = VERSIONS["1.1.0"]!.split("@")[1]!;
    const res = await callRoute(
      deployRoute.POST,
      operator.token,
      "POST",
      `/api/services/${REG}/deploy?wait=true`,
      { image: digest },
      { name: REG },
    );
    const op = res.json.operation as { id: number; status: string; error: string; steps: { name: string; status: string }[] };
    expect(op.status).toBe("failed");
    expect(op.error).toMatch(new RegExp(`pull ${deadRegistry}/demo-web@${digest} on (alpha|beta) failed: .*connection refused`));
    expect(op.steps.map((s) => `${s.name.split(" ")[0]}:${s.status}`)).toEqual(["resolve:done", "pull:failed", "abort::done"]);
    const after = await snapshot();
    expect(after.releases).toEqual([...before.releases, { n: 2, status: "failed" }]);
    expect(
      db()
        .select()
        .from(releases)
        .where(and(eq(releases.serviceId, svcId(REG)), eq(releases.number, 2)))
        .get()!.failureReason,
    ).toBe(op.error);
    expect(after.containers).toEqual(before.containers);
    expect(after.servers).toEqual(before.servers);
    expect(
      db()
        .select()
        .from(operations)
        .where(and(eq(operations.serviceId, svcId(REG)), eq(operations.status, "running")))
        .all(),
    ).toEqual([]);
    expect(await accountingProblems(REG, { alpha: labDocker("alpha"), beta: labDocker("beta") })).toEqual([]);
    await expectLiveServing(REG);
  });
});

describe("HAProxy stopped and restarted", () => {
  beforeAll(async () => {
    await deployHere(HAP, "1.1.0"); // a candidate, in the preview backend
  });

  it("while stopped, the service API reports HAProxy unreachable with the reason; the reconcile records the failure and does not throw", async () => {
    await hap.stop();
    // The page reads the HAProxy sampler's snapshot: its next `show stat` (every 2 s) fails.
    const page = await until(
      "the service page reports HAProxy unreachable",
      async () => {
        const p = await get(serviceRoute.GET, `/api/services/${HAP}`, { name: HAP });
        return p.json.haproxy?.ok === false ? p : undefined;
      },
      5000,
      100,
    );
    expect(page.status, JSON.stringify(page.json)).toBe(200);
    expect(page.json.haproxy).toMatchObject({
      ok: false,
      routed: true,
      error: expect.stringMatching(new RegExp(`^HAProxy admin socket ${hap.socket}: (no such socket|connection refused)`)),
    });
    expect(page.json.live.release.number).toBe(1);
    expect(page.json.live.containers.map((c: { haproxy: unknown; state: string }) => [c.state, c.haproxy])).toEqual([
      ["running", null],
      ["running", null],
    ]);
    expect(page.json.candidate.release.number).toBe(2);

    await reconcileRouting();
    const failed = db()
      .select()
      .from(events)
      .where(and(eq(events.action, "routing.reconcile"), eq(events.outcome, "failed")))
      .all();
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.at(-1)!.message).toMatch(/^HAProxy admin socket .*: (no such socket|connection refused)/);
    // The frontends are down with it; the containers keep running.
    expect((await probe(hap.front(HAP))).error).toMatch(/ECONNREFUSED/);
    expect(await accountingProblems(HAP, { alpha: labDocker("alpha"), beta: labDocker("beta") })).toEqual([]);
  });

  it("restarted (without its runtime servers), routing is restored by the reconcile: live serves, the candidate is back in preview", async () => {
    await hap.start();
    expect(await backendServers(hap.socket, HAP)).toEqual([]);
    expect((await probe(`${hap.front(HAP)}/version`)).status).toBe(503);

    await reconcileRouting();
    await expectLiveServing(HAP, ["r1-alpha-1", "r1-beta-1"]);
    await expectServing(hap.front(`${HAP}-preview`), { versions: ["1.1.0"], servers: ["r2-alpha-1", "r2-beta-1"] }, () =>
      hap.view(HAP, `${HAP}-preview`),
    );
    const states = new Map((await backendServers(hap.socket, HAP)).map((s) => [s.name, s]));
    expect(states.get("r1-alpha-1")).toMatchObject({ weight: 100, adminState: "ready" });
    expect(states.get("r2-alpha-1")).toMatchObject({ weight: 0, adminState: "ready" });
    // The other services on this HAProxy are restored too.
    await expectLiveServing(ENG);
    await expectLiveServing(REG);

    const restored = eventsOf(HAP, "routing.reconcile").filter((e) => e.outcome === "ok");
    expect(restored).toHaveLength(1);
    expect(restored[0]!.message).toMatch(/HAProxy differed from the record; re-applied \d+ change\(s\)/);
    // From the HAProxy sampler's next sample (every 2 s) after the reconcile.
    const restoredAt = Date.now();
    const page = await until(
      "the service page shows every live server UP",
      async () => {
        const p = await get(serviceRoute.GET, `/api/services/${HAP}`, { name: HAP });
        const up = p.json.live?.containers.every((c: { haproxy: { status: string } | null }) => c.haproxy?.status === "UP");
        return p.json.haproxy?.ok && p.json.haproxy.sampledAt > restoredAt && up ? p : undefined;
      },
      10_000,
      100,
    );
    expect(page.json.haproxy).toEqual({ ok: true, routed: true, error: null, sampledAt: expect.any(Number) });
    const log = await get(eventsRoute.GET, `/api/events?action=routing.reconcile`);
    expect((log.json.events as { outcome: string }[]).map((e) => e.outcome)).toEqual(expect.arrayContaining(["ok", "failed"]));

    await reconcileRouting(); // nothing differs now: nothing changes, nothing is logged
    expect(eventsOf(HAP, "routing.reconcile").filter((e) => e.outcome === "ok")).toHaveLength(1);
  });
});
