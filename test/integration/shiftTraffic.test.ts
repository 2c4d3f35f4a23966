/**
 * Shift traffic and smoke checks against the real lab: `it-web` on alpha and
 * beta behind the lab HAProxy (http://127.0.0.1:18090). r1 1.0.0 live, r2
 * 1.1.0 candidate; smoke checks block Switch and a shift up with the failing
 * response; a shift to 10 % sends 10 ± 2 % of ≥ 2,000 frontend requests to
 * 1.1.0 with none failing; reconcile keeps it; back to 0; a Switch from a shift.
 */
import fs from "node:fs";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lab, system, useTempDataDir } from "./lab";
import { expectServing, failuresOf, requestLoops, sleep, until } from "./releaseLab";

const dataDir = useTempDataDir("shift-traffic");

const { db } = await import("@/db/client");
const { events } = await import("@/db/schema");
const { addLabHosts, clearService, deploySucceeded, haproxyStatRows, serviceSpec } = await import("./fixtures");
const { createService, updateService } = await import("@/server/services/saveService");
const { serviceByName, specOf } = await import("@/server/services/serviceRows");
const { shiftTraffic } = await import("@/server/releases/shiftTraffic");
const { switchTraffic } = await import("@/server/releases/switchTraffic");
const { SmokeChecksFailed } = await import("@/server/releases/smokeError");
const { smokeTestCandidate } = await import("@/server/releases/smokeTestCandidate");
const { releaseByNumber } = await import("@/server/releases/releaseRows");
const { applyServiceRouting } = await import("@/server/routing/applyServiceRouting");
const { backendServers } = await import("@/server/haproxy/serverState");

const L = lab();
const SERVICE = "it-web";
const FRONT = L.haproxy.frontends["it-web"]!;
const SOCKET = L.haproxy.adminSocket;
const haproxyView = () => haproxyStatRows(SOCKET, [SERVICE, `${SERVICE}-preview`]);
const rel = (n: number) => releaseByNumber(serviceByName(SERVICE).id, n);
const weights = async () => Object.fromEntries((await backendServers(SOCKET, SERVICE)).map((s) => [s.name, s.weight]));
const withSmoke = (bodyContains: string) =>
  serviceSpec(SERVICE, { smoke: [{ path: "/health" }, { path: "/version", expectStatus: 200, bodyContains }] });

async function rejection(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to be refused; it succeeded");
}

beforeAll(async () => {
  await clearService(SERVICE, SOCKET);
  addLabHosts("alpha", "beta");
  createService(system, withSmoke("1.1.0"));
});

afterAll(async () => {
  await clearService(SERVICE, SOCKET).catch((err) => console.error("[shiftTraffic] clean-up failed:", err));
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("shift traffic and smoke checks on the lab", () => {
  it("r1 1.0.0 live, r2 1.1.0 candidate in preview", async () => {
    await deploySucceeded(SERVICE, "1.0.0");
    await deploySucceeded(SERVICE, "1.1.0");
    expect(rel(2).status).toBe("candidate");
  });

  it("a failing smoke check blocks Switch and a shift up, with the failing response shown", async () => {
    updateService(system, SERVICE, withSmoke("9.9.9"));
    const err = await rejection(() => switchTraffic(system, SERVICE, "switch"));
    expect(err).toBeInstanceOf(SmokeChecksFailed);
    const failed = err as InstanceType<typeof SmokeChecksFailed>;
    expect(failed.code).toBe("CONFLICT");
    expect(failed.message).toMatch(/^Switch blocked: release 2 failed its smoke checks\./);
    expect(failed.message).toMatch(/r2-alpha-1 GET \/version: body does not contain "9\.9\.9" \(status 200, \d+ ms\), body: 1\.1\.0/);
    const bad = failed.run.results.filter((r) => !r.ok);
    expect(bad.map((r) => r.server).sort()).toEqual(["r2-alpha-1", "r2-beta-1"]);
    expect(bad.every((r) => r.status === 200 && r.body === "1.1.0" && r.latencyMs >= 0)).toBe(true);
    expect(failed.run.results.filter((r) => r.path === "/health").every((r) => r.ok)).toBe(true);
    expect(rel(2).status).toBe("candidate");
    expect(rel(1).status).toBe("live");
    expect(await rejection(() => shiftTraffic(SERVICE, 10, system))).toBeInstanceOf(SmokeChecksFailed);
    expect(rel(2).trafficSharePercent).toBe(0);
    const logged = db()
      .select()
      .from(events)
      .where(and(eq(events.action, "release.smoke"), eq(events.outcome, "failed")))
      .all();
    expect(logged.length).toBe(2);
  });

  it("shift to 10 %: ~10 % of ≥ 2,000 frontend requests reach the candidate, none fail; reconcile keeps it; back to 0", async () => {
    updateService(system, SERVICE, withSmoke("1.1.0"));
    const run = await smokeTestCandidate(system, SERVICE);
    expect(run.results.map((r) => `${r.server} ${r.path} ${r.status} ${r.ok}`).sort()).toEqual([
      "r2-alpha-1 /health 200 true",
      "r2-alpha-1 /version 200 true",
      "r2-beta-1 /health 200 true",
      "r2-beta-1 /version 200 true",
    ]);
    const loops = requestLoops(FRONT, 4);
    await sleep(300);
    const outcome = await shiftTraffic(SERVICE, 10, system, { reason: "integration test" });
    const shiftedAt = Date.now();
    expect(outcome).toMatchObject({ candidate: 2, live: 1, targetPercent: 10, previousPercent: 0, effectivePercent: 10, leftOut: [] });
    // 2 candidate vs 2 live servers at 10 %: Wc = 2, Wl = 18 → 1, 1 and 9, 9.
    expect(await weights()).toEqual({ "r1-alpha-1": 9, "r1-beta-1": 9, "r2-alpha-1": 1, "r2-beta-1": 1 });
    expect(rel(2).trafficSharePercent).toBe(10);

    await until(
      "2,500 requests after the shift",
      () => (loops.samples.filter((s) => s.startedAt >= shiftedAt).length >= 2500 ? true : undefined),
      60_000,
      100,
    );
    // Reconcile re-applies what SQLite recorded: nothing to change, the weights stay.
    expect(await applyServiceRouting(serviceByName(SERVICE).id, specOf(serviceByName(SERVICE)))).toEqual([]);
    const measuredUntil = Date.now();
    const back = await shiftTraffic(SERVICE, 0, system);
    const all = await (async () => {
      await sleep(500);
      return loops.stop();
    })();

    const window = all.filter((s) => s.startedAt >= shiftedAt && s.endedAt <= measuredUntil);
    const toCandidate = window.filter((s) => s.body === "1.1.0").length;
    const share = (toCandidate / window.length) * 100;
    console.log(
      `[shift] ${window.length} requests at 10 %: ${toCandidate} to 1.1.0 = ${share.toFixed(2)} %; ${all.length} requests in all, ${failuresOf(all).length} failed`,
    );
    expect(window.length).toBeGreaterThanOrEqual(2000);
    expect(Math.abs(share - 10)).toBeLessThanOrEqual(2);
    expect(failuresOf(all), JSON.stringify(failuresOf(all).slice(0, 3))).toEqual([]);

    expect(back).toMatchObject({ targetPercent: 0, previousPercent: 10, effectivePercent: 0 });
    expect(await weights()).toEqual({ "r1-alpha-1": 100, "r1-beta-1": 100, "r2-alpha-1": 0, "r2-beta-1": 0 });
    await expectServing(FRONT, { versions: ["1.0.0"], servers: ["r1-alpha-1", "r1-beta-1"] }, haproxyView, { min: 40 });

    const shifts = db().select().from(events).where(eq(events.action, "release.shift")).all();
    expect(
      shifts.map((e) => JSON.parse(e.detail ?? "{}") as { after: { percent: number; effectivePercent: number } }).map((d) => d.after),
    ).toEqual([
      { percent: 10, effectivePercent: 10 },
      { percent: 0, effectivePercent: 0 },
    ]);
  });

  it("Switch from a shifted state takes the candidate to 100 % and the old live to standby", async () => {
    await shiftTraffic(SERVICE, 25, system);
    expect(await weights()).toEqual({ "r1-alpha-1": 3, "r1-beta-1": 3, "r2-alpha-1": 1, "r2-beta-1": 1 });
    const loops = requestLoops(FRONT, 3);
    await sleep(300);
    await switchTraffic(system, SERVICE, "switch");
    await sleep(500);
    const all = await loops.stop();
    expect(failuresOf(all)).toEqual([]);
    expect(rel(2).status).toBe("live");
    expect(rel(1).status).toBe("standby");
    await expectServing(FRONT, { versions: ["1.1.0"], servers: ["r2-alpha-1", "r2-beta-1"] }, haproxyView, { min: 40 });
  });

  it("an automatic switch whose smoke checks fail leaves the healthy release in preview", async () => {
    updateService(system, SERVICE, { ...withSmoke("1.1.0"), autoSwitch: true });
    const op = await deploySucceeded(SERVICE, "1.0.0");
    const step = op.steps.find((st) => st.name === "smoke checks before the automatic switch");
    expect(step?.detail).toMatch(/^2\/4 passed; stays in preview:\n/);
    expect(step?.detail).toMatch(/r3-(alpha|beta)-1 GET \/version: body does not contain "1\.1\.0" \(status 200, \d+ ms\), body: 1\.0\.0/);
    expect(op.steps.map((st) => st.name)).not.toContain("switch traffic (automatic)");
    expect(rel(3).status).toBe("candidate");
    expect(rel(2).status).toBe("live");
  });
});
