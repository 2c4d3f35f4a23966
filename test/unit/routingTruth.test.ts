import { describe, expect, it } from "vitest";
import type { ServerStats } from "@/server/haproxy/backendStats";
import { describeLiveRouting, desiredMainBackend, liveRouting, type RoutedContainer } from "@/server/routing/desiredRouting";
import { actualFromStats, routingDifferences } from "@/server/routing/routingDifferences";
import { trafficShares } from "@/server/routing/trafficShare";

const row = (server: string, status: string, weight: number, rate = 0): ServerStats => ({
  server,
  status,
  weight,
  rate,
  reqTotal: 0,
  hrsp2xx: 0,
  hrsp5xx: 0,
  rtimeMs: 0,
  checkStatus: "L7OK",
  lastChangeS: 1,
  currentSessions: 0,
});
const c = (
  serverName: string,
  releaseStatus: RoutedContainer["releaseStatus"],
  host: string,
  hostUnreachable?: string,
): RoutedContainer => ({
  serverName,
  address: "127.0.0.1",
  port: 30000 + serverName.length,
  releaseStatus,
  host,
  ...(hostUnreachable && { hostUnreachable }),
});
const all = () => true;

describe("trafficShares", () => {
  it("by weights and states when there is no traffic: a drained standby gets 0 % and says so", () => {
    const rows = [row("r3-alpha", "UP", 100), row("r3-beta", "UP", 100), row("r1-alpha", "DRAIN", 100), row("BACKEND", "UP", 200)];
    const s = trafficShares(rows, { live: ["r3-alpha", "r3-beta"], standby: ["r1-alpha"] });
    expect(s.live).toEqual({ percent: 100, basis: "weights", why: null });
    expect(s.standby).toEqual({ percent: 0, basis: "weights", why: "drained" });
  });

  it("the bug of issue 12: the record says r3 live but HAProxy weights only r1, so r1 gets 100 % and r3 0 % (weight 0)", () => {
    const rows = [row("r3-alpha", "UP", 0), row("r3-beta", "DOWN", 0), row("r1-alpha", "UP", 100), row("r1-beta", "DOWN", 100)];
    const s = trafficShares(rows, { live: ["r3-alpha", "r3-beta"], standby: ["r1-alpha", "r1-beta"] });
    expect(s.live).toEqual({ percent: 0, basis: "weights", why: "weight 0, down" });
    expect(s.standby.percent).toBe(100);
  });

  it("measured from rates when the backend has traffic, foreign servers counted in the total", () => {
    const rows = [row("a", "UP", 100, 30), row("c", "UP", 100, 10), row("hand-made", "UP", 100, 60)];
    const s = trafficShares(rows, { live: ["a"], candidate: ["c"] });
    expect(s.live).toEqual({ percent: 30, basis: "requests", why: null });
    expect(s.candidate).toEqual({ percent: 10, basis: "requests", why: null });
  });

  it("a server drained a moment ago gets 0 % although its last-second rate still shows requests", () => {
    const rows = [row("r2-a", "UP", 100, 12), row("r3-a", "DRAIN", 100, 40)];
    const s = trafficShares(rows, { live: ["r2-a"], standby: ["r3-a"] });
    expect(s.live).toEqual({ percent: 100, basis: "requests", why: null });
    expect(s.standby).toEqual({ percent: 0, basis: "requests", why: "drained" });
  });

  it("a down or in-maintenance server counts 0; nothing anywhere is 0 % with the reason", () => {
    const s = trafficShares([row("a", "DOWN", 100), row("b", "MAINT", 100)], { live: ["a"], candidate: ["b"], standby: ["gone"] });
    expect(s.live).toMatchObject({ percent: 0, why: "down" });
    expect(s.candidate).toMatchObject({ percent: 0, why: "in maintenance" });
    expect(s.standby).toMatchObject({ percent: 0, why: "not in HAProxy" });
  });

  it("one decimal: 1 of 3 equal weights", () => {
    const s = trafficShares([row("a", "UP", 100), row("b", "UP 1/2", 100), row("c", "no check", 100)], { x: ["a"] });
    expect(s.x.percent).toBe(33.3);
  });
});

describe("held back on an unreachable host", () => {
  it("a live server on an unreachable host gets weight 0 while another live server is reachable", () => {
    const cs = [c("r1-alpha", "live", "alpha"), c("r1-beta", "live", "beta", "connection refused"), c("r3-beta", "standby", "beta", "x")];
    const desired = desiredMainBackend(cs);
    expect(desired.map((d) => [d.name, d.weight, d.state])).toEqual([
      ["r1-alpha", 100, "ready"],
      ["r1-beta", 0, "ready"],
      ["r3-beta", 100, "drain"],
    ]);
    const r = liveRouting(cs);
    expect(r).toEqual({
      weighted: [{ server: "r1-alpha", host: "alpha" }],
      leftOut: [{ server: "r1-beta", host: "beta", reason: "beta unreachable: connection refused" }],
    });
    expect(describeLiveRouting(r)).toBe("weight on r1-alpha (alpha); left out: r1-beta (beta unreachable: connection refused)");
  });

  it("when no live server is reachable, nothing is held back (HAProxy's checks are all there is)", () => {
    const cs = [c("r1-beta", "live", "beta", "connection refused")];
    expect(desiredMainBackend(cs)[0]!.weight).toBe(100);
    expect(liveRouting(cs).leftOut).toEqual([]);
  });
});

describe("routingDifferences", () => {
  const desired = desiredMainBackend([c("r3-a", "live", "alpha"), c("r1-a", "standby", "alpha"), c("r4-a", "candidate", "alpha")]);

  it("[] when HAProxy matches (a drained server's weight is not compared)", () => {
    const actual = [row("r3-a", "UP", 100), row("r1-a", "DRAIN", 7), row("r4-a", "DOWN", 0), row("foreign", "UP", 5)].map(actualFromStats);
    expect(routingDifferences(desired, actual, (n) => n !== "foreign")).toEqual([]);
  });

  it("names each difference: weight, admin state, missing, left over", () => {
    const actual = [row("r3-a", "UP", 0), row("r1-a", "UP", 100), row("r2-a", "MAINT", 0)].map(actualFromStats);
    expect(routingDifferences(desired, actual, all)).toEqual([
      "r3-a has weight 0 in HAProxy, 100 intended",
      "r4-a is not in HAProxy",
      "r1-a is ready in HAProxy, drain intended",
      "r2-a is still in HAProxy, no longer intended",
    ]);
  });
});

describe("desiredMainBackend with a shift and a host down", () => {
  it("holds a candidate on an unreachable host at 0 and gives its share to the reachable candidate", () => {
    const containers = [c("r1-a", "live", "alpha"), c("r2-a", "candidate", "alpha"), c("r2-b", "candidate", "beta", "connection refused")];
    const weights = Object.fromEntries(desiredMainBackend(containers, 50).map((d) => [d.name, d.weight]));
    expect(weights["r2-b"]).toBe(0);
    expect(weights["r2-a"]).toBeGreaterThan(0);
    // 50 %: the one reachable candidate weighs as much as the live side.
    expect(weights["r2-a"]).toBe(weights["r1-a"]);
  });

  it("with no reachable candidate, the live side takes everything", () => {
    const containers = [c("r1-a", "live", "alpha"), c("r2-b", "candidate", "beta", "connection refused")];
    const weights = Object.fromEntries(desiredMainBackend(containers, 25).map((d) => [d.name, d.weight]));
    expect(weights["r2-b"]).toBe(0);
    expect(weights["r1-a"]).toBeGreaterThan(0);
  });
});
