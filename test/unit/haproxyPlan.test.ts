import { describe, expect, it } from "vitest";
import { DEFAULT_CHECKS, planBackend, type DesiredServer, type PlanStep } from "@/server/haproxy/planBackend";
import type { ServerState } from "@/server/haproxy/serverState";

const up = (name: string, port: number, over: Partial<ServerState> = {}): ServerState => ({
  name,
  address: "127.0.0.1",
  port,
  weight: 100,
  adminState: "ready",
  operational: "up",
  checkStatus: "L7OK",
  checkResult: "passed",
  checksConfigured: true,
  checksEnabled: true,
  secondsSinceChange: 10,
  ...over,
});
const want = (name: string, port: number, over: Partial<DesiredServer> = {}): DesiredServer => ({
  name,
  address: "127.0.0.1",
  port,
  weight: 100,
  state: "ready",
  ...over,
});
const commands = (steps: PlanStep[]) => steps.map((s) => (s.kind === "waitUp" ? `(wait up: ${s.servers.join(",")})` : s.command));

describe("planBackend", () => {
  it("adds a live server at weight 0, checks it, then gives it weight", () => {
    expect(commands(planBackend("be", [], [want("blue", 8001)]))).toEqual([
      "add server be/blue 127.0.0.1:8001 check weight 0 inter 300 fall 2 rise 1",
      "enable health be/blue",
      "set server be/blue state ready",
      "(wait up: blue)",
      "set server be/blue weight 100",
    ]);
  });

  it("previews a new server at weight 0 without waiting or touching the live one", () => {
    expect(commands(planBackend("be", [up("blue", 8001)], [want("blue", 8001), want("green", 8002, { weight: 0 })]))).toEqual([
      "add server be/green 127.0.0.1:8002 check weight 0 inter 300 fall 2 rise 1",
      "enable health be/green",
      "set server be/green state ready",
    ]);
  });

  it("switches: waits for green, gives it weight, then drains blue (weight kept)", () => {
    const actual = [up("blue", 8001), up("green", 8002, { weight: 0 })];
    expect(commands(planBackend("be", actual, [want("green", 8002), want("blue", 8001, { state: "drain" })]))).toEqual([
      "(wait up: green)",
      "set server be/green weight 100",
      "set server be/blue state drain",
    ]);
  });

  it("going back to the live side waits for no server that already takes traffic, even one that is down", () => {
    // An abort from 50 %: live goes 1 → 100 (one live replica crashed), the candidate 1 → 0. Waiting for the crashed
    // replica would block the abort; HAProxy sends a down server nothing anyway.
    const actual = [
      up("live-1", 8001, { weight: 1 }),
      up("live-2", 8002, { weight: 1, operational: "down" }),
      up("cand", 8003, { weight: 1 }),
    ];
    const steps = commands(planBackend("be", actual, [want("live-1", 8001), want("live-2", 8002), want("cand", 8003, { weight: 0 })]));
    expect(steps.some((c) => c.startsWith("(wait up"))).toBe(false);
    expect(steps).toEqual(["set server be/live-1 weight 100", "set server be/live-2 weight 100", "set server be/cand weight 0"]);
  });

  it("rolls back: the drained server gets weight and ready before the other drains", () => {
    const actual = [up("blue", 8001, { adminState: "drain", weight: 0 }), up("green", 8002)];
    expect(commands(planBackend("be", actual, [want("blue", 8001), want("green", 8002, { state: "drain" })]))).toEqual([
      "(wait up: blue)",
      "set server be/blue weight 100",
      "set server be/blue state ready",
      "set server be/green state drain",
    ]);
  });

  it("gives weight to gaining servers before taking it from others", () => {
    const actual = [up("a", 8001, { weight: 100 }), up("b", 8002, { weight: 0 })];
    expect(commands(planBackend("be", actual, [want("a", 8001, { weight: 0 }), want("b", 8002)]))).toEqual([
      "(wait up: b)",
      "set server be/b weight 100",
      "set server be/a weight 0",
    ]);
  });

  it("removes its own servers: maint, shutdown sessions, del (del retried by the executor)", () => {
    const steps = planBackend("be", [up("r1-alpha-1", 8001, { adminState: "drain" }), up("r2-alpha-1", 8002)], [want("r2-alpha-1", 8002)]);
    expect(steps).toEqual([
      { kind: "command", command: "set server be/r1-alpha-1 state maint" },
      { kind: "command", command: "shutdown sessions server be/r1-alpha-1" },
      { kind: "delete", command: "del server be/r1-alpha-1" },
    ]);
    expect(
      commands(planBackend("be", [up("old", 8003, { adminState: "maint", operational: "down" })], [], DEFAULT_CHECKS, () => true)),
    ).toEqual(["shutdown sessions server be/old", "del server be/old"]);
  });

  it("plans nothing when the backend already matches (drain keeps whatever weight it has)", () => {
    const actual = [up("green", 8002), up("blue", 8001, { adminState: "drain", weight: 0 }), up("cand", 8003, { weight: 0 })];
    const desired = [want("green", 8002), want("blue", 8001, { state: "drain" }), want("cand", 8003, { weight: 0 })];
    expect(planBackend("be", actual, desired)).toEqual([]);
  });

  it("adds a standby straight into drain, with no weight change", () => {
    expect(commands(planBackend("be", [], [want("blue", 8001, { state: "drain" })]))).toEqual([
      "add server be/blue 127.0.0.1:8001 check weight 0 inter 300 fall 2 rise 1",
      "enable health be/blue",
      "set server be/blue state drain",
    ]);
  });

  it("re-enables health on an existing server whose check was never enabled", () => {
    const actual = [up("blue", 8001, { checksEnabled: false })];
    expect(commands(planBackend("be", actual, [want("blue", 8001)]))).toEqual(["enable health be/blue"]);
  });

  it("does not wait for a server coming out of maintenance (its checks are paused)", () => {
    const actual = [up("blue", 8001, { adminState: "maint", operational: "down", weight: 100 })];
    expect(commands(planBackend("be", actual, [want("blue", 8001)]))).toEqual(["set server be/blue state ready"]);
  });

  it("passes check timing and formats IPv6 addresses", () => {
    const steps = planBackend("be", [], [{ name: "v6", address: "::1", port: 8080, weight: 0, state: "ready" }], {
      inter: 1000,
      fall: 3,
      rise: 2,
    });
    expect(commands(steps)[0]).toBe("add server be/v6 [::1]:8080 check weight 0 inter 1000 fall 3 rise 2");
  });

  it("refuses to repoint an existing server name to another address", () => {
    expect(() => planBackend("be", [up("blue", 8001)], [want("blue", 9001)])).toThrow(
      /be\/blue points to 127.0.0.1:8001, not 127.0.0.1:9001/,
    );
  });

  it.each<[string, DesiredServer[] | string]>([
    ["a server name with a space", [want("bad name", 1)]],
    ["a server name with ';'", [want("x;shutdown", 1)]],
    ["a backend name with '/'", "be/x"],
    ["weight 257", [want("a", 1, { weight: 257 })]],
    ["weight 1.5", [want("a", 1, { weight: 1.5 })]],
    ["port 0", [want("a", 0)]],
    ["an FQDN", [want("a", 1, { address: "app.internal" })]],
    ["a duplicate", [want("a", 1), want("a", 2)]],
    ["an unknown state", [want("a", 1, { state: "maint" as never })]],
  ])("rejects %s", (_what, input) => {
    const backend = typeof input === "string" ? input : "be";
    const desired = typeof input === "string" ? [] : input;
    expect(() => planBackend(backend, [], desired)).toThrow();
  });

  it("rejects nonsense check timing", () => {
    expect(() => planBackend("be", [], [], { inter: 0, fall: 2, rise: 1 })).toThrow(/inter/);
    expect(() => planBackend("be", [], [], { inter: 300, fall: 0, rise: 1 })).toThrow(/fall/);
  });
});

describe("planBackend leaves servers it does not own alone", () => {
  // Someone else's servers in the same backend: added by hand, by another tool, or named like Switchyard's but not recorded for this service.
  const foreign = [up("legacy-app", 9001), up("web2", 9002, { adminState: "drain", weight: 50 }), up("r7-alpha-1", 9003, { weight: 0 })];
  const recorded = new Set(["r1-alpha-1", "r2-alpha-1"]);
  const owns = (name: string) => recorded.has(name);
  const untouched = (steps: PlanStep[]) => commands(steps).filter((c) => /legacy-app|web2|r7-alpha-1/.test(c));

  it("a backend of only foreign servers, with nothing desired: no step at all", () => {
    expect(planBackend("be", foreign, [], DEFAULT_CHECKS, owns)).toEqual([]);
  });

  it("a switch (new live, old drained) names no foreign server", () => {
    const actual = [...foreign, up("r1-alpha-1", 8001), up("r2-alpha-1", 8002, { weight: 0 })];
    const steps = planBackend("be", actual, [want("r2-alpha-1", 8002), want("r1-alpha-1", 8001, { state: "drain" })], DEFAULT_CHECKS, owns);
    expect(commands(steps)).toEqual([
      "(wait up: r2-alpha-1)",
      "set server be/r2-alpha-1 weight 100",
      "set server be/r1-alpha-1 state drain",
    ]);
    expect(untouched(steps)).toEqual([]);
  });

  it("retiring its old release deletes only that release's server", () => {
    const actual = [...foreign, up("r1-alpha-1", 8001, { adminState: "drain" }), up("r2-alpha-1", 8002)];
    const steps = planBackend("be", actual, [want("r2-alpha-1", 8002)], DEFAULT_CHECKS, owns);
    expect(commands(steps)).toEqual([
      "set server be/r1-alpha-1 state maint",
      "shutdown sessions server be/r1-alpha-1",
      "del server be/r1-alpha-1",
    ]);
  });

  it("by default (no record given) only servers named like Switchyard's may go", () => {
    const steps = planBackend("be", [...foreign, up("r1-alpha-1", 8001)], []);
    expect(untouched(steps).filter((c) => !c.includes("r7-alpha-1"))).toEqual([]);
    expect(commands(steps)).toContain("del server be/r1-alpha-1");
  });
});
