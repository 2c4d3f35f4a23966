/**
 * Issue 12 part 2: Switch and Rollback while a host's engine is stopped
 * (README "Switching with a host down"). The stopped host is a Docker engine
 * of this file's own, registered as host "beta" (faultLab.startOwnEngine:
 * the shared lab engines are never stopped under the other tests), behind a
 * private HAProxy. The truth is checked against HAProxy itself: `show stat`
 * req_tot deltas of the servers while requests go through the frontend must
 * land on the release the API calls live, and nowhere else.
 */
import fs from "node:fs";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRoute, rawHaproxy, startOwnEngine, startPrivateHaproxy } from "./faultLab";
import { labDocker, system, useTempDataDir } from "./lab";
import { get as httpGet, removeContainersNamed, sleep, until } from "./releaseLab";

const dataDir = useTempDataDir("switch-unreachable");
process.env.SWITCHYARD_HOST_TIMEOUT_MS = "3000";
process.env.SWITCHYARD_RECONCILE_INTERVAL_S = "1";
const SVC = "sw-down"; // on alpha and beta
const ONLY = "sw-only"; // on beta only
const hap = await startPrivateHaproxy(dataDir, [SVC, `${SVC}-preview`, ONLY, `${ONLY}-preview`]);
process.env.SWITCHYARD_HAPROXY_SOCKET = hap.socket;
const beta = await startOwnEngine("beta");

const { db } = await import("@/db/client");
const { events, operations } = await import("@/db/schema");
const { addLabHosts, deploySucceeded, onHosts, person, serviceSpec, demoVersions } = await import("./fixtures");
const { createHost } = await import("@/server/hosts/createHost");
const { createService } = await import("@/server/services/saveService");
const { serviceByName } = await import("@/server/services/serviceRows");
const { activeContainersOf, releaseByNumber, releaseWithStatus } = await import("@/server/releases/releaseRows");
const { operationWithSteps } = await import("@/server/operations/operationLog");
const { reconcileRouting } = await import("@/server/routing/reconcileRouting");
const { applyBackend } = await import("@/server/haproxy/applyBackend");
const { backendServers } = await import("@/server/haproxy/serverState");
const { parseStatCsv } = await import("@/server/haproxy/backendStats");
const { sampleHaproxy } = await import("@/server/live/haproxySampler");
const serviceRoute = await import("@/app/api/services/[name]/route");
const switchRoute = await import("@/app/api/services/[name]/switch/route");
const rollbackRoute = await import("@/app/api/services/[name]/rollback/route");

const { versionOf } = demoVersions();
const operator = person("swd-operator", "operator");
const viewer = person("swd-viewer", "viewer");
const svcId = (name: string) => serviceByName(name).id;
const serversOf = (service: string, n: number) =>
  activeContainersOf([releaseByNumber(svcId(service), n).id]).map(({ container, host }) => ({
    server: container.serverName,
    host: host.name,
  }));
const overview = async (service: string) => {
  await sampleHaproxy(); // what the server's 2 s sampler would hold by now
  const res = await callRoute(serviceRoute.GET, viewer.token, "GET", `/api/services/${service}`, undefined, { name: service });
  expect(res.status).toBe(200);
  return res.json;
};
const post = (handler: unknown, service: string, action: string) =>
  callRoute(handler, operator.token, "POST", `/api/services/${service}/${action}`, {}, { name: service });

/** req_tot per server of `backend`, from `show stat`. */
async function reqTotals(backend: string): Promise<Map<string, number>> {
  const rows = parseStatCsv(await rawHaproxy(hap.socket, "show stat"), backend);
  return new Map(rows.filter((r) => r.server !== "BACKEND").map((r) => [r.server, r.reqTotal]));
}

/**
 * Sends `n` requests through the frontend; returns which servers HAProxy gave
 * them to (req_tot deltas in `show stat`, only the servers that got any) and
 * the versions that answered.
 */
async function whereTrafficGoes(service: string, n = 40) {
  const before = await reqTotals(service);
  const versions = new Set<string>();
  for (let i = 0; i < n; i++) {
    const r = await httpGet(`${hap.front(service)}/version`);
    expect(r.status, `request ${i} through ${service}: ${r.body}\n${await hap.view(service)}`).toBe(200);
    versions.add(r.body);
  }
  const after = await reqTotals(service);
  const deltas: Record<string, number> = {};
  for (const [server, total] of after) if (total - (before.get(server) ?? 0) > 0) deltas[server] = total - (before.get(server) ?? 0);
  expect(
    Object.values(deltas).reduce((a, b) => a + b, 0),
    `every request counted once: ${JSON.stringify(deltas)}`,
  ).toBe(n);
  return { deltas, versions: [...versions] };
}

async function cleanUp() {
  for (const s of [SVC, ONLY]) await removeContainersNamed(`${s}-r`);
  for (const b of [SVC, ONLY]) {
    await applyBackend(hap.socket, b, []).catch(() => undefined);
    await applyBackend(hap.socket, `${b}-preview`, []).catch(() => undefined);
  }
}

const spec = (name: string, placement: string[]) =>
  serviceSpec(name, { placement: onHosts(...placement), healthCheck: { intervalMs: 200, healthyAfter: 2, gateTimeoutS: 20 } });

beforeAll(async () => {
  await cleanUp();
  addLabHosts("alpha");
  createHost(system, { name: "beta", url: beta.url });
  createService(system, spec(SVC, ["alpha", "beta"]));
  createService(system, spec(ONLY, ["beta"]));
  // sw-down: r1 1.0.0, r2 1.1.0 switched live (r1 standby), r3 1.0.0 candidate. sw-only: r1 live, r2 candidate.
  await deploySucceeded(SVC, "1.0.0");
  await deploySucceeded(SVC, "1.1.0");
  expect((await post(switchRoute.POST, SVC, "switch")).status).toBe(200);
  await deploySucceeded(SVC, "1.0.0");
  await deploySucceeded(ONLY, "1.0.0");
  await deploySucceeded(ONLY, "1.1.0");
  await beta.stop();
  // HAProxy's checks (inter 200 ms, fall 2) see beta's servers down.
  await until(
    "beta's servers down in HAProxy",
    async () =>
      (await backendServers(hap.socket, SVC)).filter((s) => s.name.includes("-beta-") && s.operational === "down").length === 3
        ? true
        : undefined,
    10_000,
    100,
  );
}, 300_000);

afterAll(async () => {
  // beta always comes back (and its containers go), whatever happened above.
  await beta.destroy().catch((err) => console.error("[switchUnreachableHost] engine clean-up failed:", err));
  await cleanUp().catch((err) => console.error("[switchUnreachableHost] clean-up failed:", err));
  await hap.stop();
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("beta stopped", () => {
  it("Switch: release 3 takes the traffic on alpha, its beta server is left out (weight 0) and the outcome says so", async () => {
    const res = await post(switchRoute.POST, SVC, "switch");
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const r3 = serversOf(SVC, 3);
    const [r3alpha, r3beta] = [r3.find((s) => s.host === "alpha")!.server, r3.find((s) => s.host === "beta")!.server];
    // The API answer says exactly what was applied.
    expect(res.json).toMatchObject({ live: 3, standby: 2 });
    expect(res.json.routing).toEqual({
      weighted: [{ server: r3alpha, host: "alpha" }],
      leftOut: [{ server: r3beta, host: "beta", reason: expect.stringMatching(/^beta unreachable: .+/) }],
    });
    // So do the operation's steps and the release log.
    const op = operationWithSteps(res.json.operationId)!;
    expect(op.status).toBe("succeeded");
    expect(op.steps.find((s) => s.name.startsWith("apply routing"))!.detail).toMatch(
      new RegExp(`^weight on ${r3alpha} \\(alpha\\); left out: ${r3beta} \\(beta unreachable: .+\\)$`),
    );
    const logged = db()
      .select()
      .from(events)
      .where(and(eq(events.serviceName, SVC), eq(events.action, "release.switch")))
      .all()
      .at(-1)!;
    expect(logged.message).toMatch(
      new RegExp(`^release 3 live, release 2 on standby, release 1 retired; left out of traffic: ${r3beta} \\(beta unreachable: `),
    );

    // HAProxy: every request went to release 3 on alpha; the API's live is release 3 and has 100 % of the traffic.
    const traffic = await whereTrafficGoes(SVC);
    expect(traffic).toEqual({ deltas: { [r3alpha]: 40 }, versions: ["1.0.0"] });
    const page = await overview(SVC);
    expect(page.live.release.number).toBe(3);
    expect(versionOf(page.live.release.imageDigest)).toBe("1.0.0");
    expect(page.live.traffic).toMatchObject({ percent: 100 });
    expect(page.standby.traffic).toMatchObject({ percent: 0, why: expect.stringContaining("drained") });
    expect(page.routingPending).toBeNull();
    expect((await backendServers(hap.socket, SVC)).find((s) => s.name === r3beta)).toMatchObject({ weight: 0, adminState: "ready" });
  });

  it("Rollback: release 2 takes the traffic back on alpha; reconcile keeps beta's server out while beta is down", async () => {
    const res = await post(rollbackRoute.POST, SVC, "rollback");
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const r2 = serversOf(SVC, 2);
    const [r2alpha, r2beta] = [r2.find((s) => s.host === "alpha")!.server, r2.find((s) => s.host === "beta")!.server];
    expect(res.json).toMatchObject({ live: 2, standby: 3 });
    expect(res.json.routing).toEqual({
      weighted: [{ server: r2alpha, host: "alpha" }],
      leftOut: [{ server: r2beta, host: "beta", reason: expect.stringMatching(/^beta unreachable: /) }],
    });
    await reconcileRouting(); // held back, not a difference: nothing re-applied, nothing pending
    const traffic = await whereTrafficGoes(SVC);
    expect(traffic).toEqual({ deltas: { [r2alpha]: 40 }, versions: ["1.1.0"] });
    const page = await overview(SVC);
    expect(page.live.release.number).toBe(2);
    expect(page.live.traffic).toMatchObject({ percent: 100 });
    expect(page.standby.release.number).toBe(3);
    expect(page.standby.traffic.percent).toBe(0);
    expect(page.routingPending).toBeNull();
  });

  it("Switch of a release only on beta: refused before anything is recorded, the error names beta", async () => {
    const opsBefore = db()
      .select()
      .from(operations)
      .where(eq(operations.serviceId, svcId(ONLY)))
      .all().length;
    const haproxyBefore = await backendServers(hap.socket, ONLY);
    const res = await post(switchRoute.POST, ONLY, "switch");
    expect(res.status).toBe(503);
    expect(res.json.error.message).toMatch(/^Release 2 has no server on a reachable host \(beta unreachable: .+\); nothing was changed\.$/);
    expect(releaseWithStatus(svcId(ONLY), "live")!.number).toBe(1);
    expect(releaseWithStatus(svcId(ONLY), "candidate")!.number).toBe(2);
    expect(
      db()
        .select()
        .from(operations)
        .where(eq(operations.serviceId, svcId(ONLY)))
        .all().length,
    ).toBe(opsBefore);
    const haproxyAfter = await backendServers(hap.socket, ONLY);
    expect(haproxyAfter.map((s) => [s.name, s.weight, s.adminState])).toEqual(haproxyBefore.map((s) => [s.name, s.weight, s.adminState]));
    // The page tells the truth: release 1 is live but HAProxy has nowhere to send its traffic.
    const page = await overview(ONLY);
    expect(page.live.release.number).toBe(1);
    expect(page.live.traffic).toMatchObject({ percent: 0, why: "down" });
  });

  it("beta returns: reconcile gives release 2's beta server its weight and both hosts serve", async () => {
    await beta.start();
    const r2 = serversOf(SVC, 2);
    const r2beta = r2.find((s) => s.host === "beta")!.server;
    await until(
      `${r2beta} weighted again`,
      async () => {
        await reconcileRouting();
        const s = (await backendServers(hap.socket, SVC)).find((x) => x.name === r2beta);
        return s?.weight === 100 && s.operational === "up" ? true : undefined;
      },
      60_000,
      500,
    );
    // roundrobin takes a while to bring a server that went 0 → 100 into rotation: send until both got some.
    let deltas: Record<string, number> = {};
    for (let i = 0; i < 20 && Object.keys(deltas).length < 2; i++) {
      ({ deltas } = await whereTrafficGoes(SVC, 40));
      await sleep(100);
    }
    expect(Object.keys(deltas).sort()).toEqual(r2.map((s) => s.server).sort());
    const page = await overview(SVC);
    expect(page.live.release.number).toBe(2);
    expect(page.live.traffic.percent).toBe(100);
    expect(page.routingPending).toBeNull();
  });

  it("routing pending: HAProxy differs from the record for longer than one reconcile, the page says why; it clears once applied", async () => {
    const r2alpha = activeContainersOf([releaseByNumber(svcId(SVC), 2).id]).find(({ host }) => host.name === "alpha")!;
    const server = r2alpha.container.serverName;
    const container = labDocker("alpha").getContainer(r2alpha.container.dockerId!);
    // Someone takes r2's alpha server out by hand while its container is stopped: reconcile cannot bring it back.
    await container.stop({ t: 1 });
    await until(
      `${server} down in HAProxy`,
      async () => ((await backendServers(hap.socket, SVC)).find((x) => x.name === server)?.operational === "down" ? true : undefined),
      10_000,
      100,
    );
    expect(await rawHaproxy(hap.socket, `set server ${SVC}/${server} weight 0`)).toBe("\n");
    await expect(reconcileRouting()).resolves.toBeUndefined();
    await sleep(1100); // one reconcile interval (1 s here)
    const page = await overview(SVC);
    expect(page.routingPending).toEqual({
      since: expect.any(Number),
      reason: expect.stringMatching(new RegExp(`not up after 10000 ms: ${server} \\(down`)),
      differences: [`${server} has weight 0 in HAProxy, 100 intended`],
    });
    // The share is still what HAProxy does: all of it to release 2's beta server.
    expect(page.live.traffic.percent).toBe(100);
    expect((await whereTrafficGoes(SVC, 20)).deltas).toEqual({ [serversOf(SVC, 2).find((s) => s.host === "beta")!.server]: 20 });

    await container.start();
    await until(
      "reconcile applies the record again",
      async () => {
        await reconcileRouting();
        return (await backendServers(hap.socket, SVC)).find((x) => x.name === server)?.weight === 100 ? true : undefined;
      },
      60_000,
      200,
    );
    expect((await overview(SVC)).routingPending).toBeNull();
  });
});
