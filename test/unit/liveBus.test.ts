/** The live bus (ids, replay, overflow), who sees what, HAProxy change detection, and messages into the query cache. */
import { describe, expect, it } from "vitest";
import { QueryClient } from "@tanstack/react-query";
import { createLiveBus } from "@/server/live/liveBus";
import type { LiveMessage } from "@/server/live/liveMessage";
import { liveMessageVisible } from "@/server/live/liveScope";
import { StreamQuery } from "@/server/live/streamInput";
import { haproxyChanges, TRAFFIC_TICK_MS } from "@/server/live/startLivePublishers";
import type { ServerStats } from "@/server/haproxy/backendStats";
import { applyLiveMessage } from "@/components/live/applyLiveMessage";
import { fleetKeys } from "@/components/fleet/queries";
import { serviceKeys } from "@/components/services/queries";
import { quarantineKeys } from "@/components/quarantine/queries";

describe("live bus", () => {
  it("numbers messages 1, 2, 3 … and tells subscribers in order", () => {
    const bus = createLiveBus(10, "b0");
    const got: LiveMessage[] = [];
    const off = bus.subscribe((m) => got.push(m));
    bus.publish("fleet");
    bus.publish("service:web", { service: "web" });
    off();
    bus.publish("drift");
    expect(got.map((m) => [m.id, m.topic, m.service])).toEqual([
      [1, "fleet", null],
      [2, "service:web", "web"],
    ]);
    expect(bus.lastEventId()).toBe("b0-3");
  });

  it("replays what came after an id, nothing when up to date", () => {
    const bus = createLiveBus(10, "b0");
    for (let i = 0; i < 5; i++) bus.publish(`host:${i}`);
    const r = bus.replayAfter("b0-2");
    expect(r.kind).toBe("replay");
    expect(r.kind === "replay" && r.messages.map((m) => m.topic)).toEqual(["host:2", "host:3", "host:4"]);
    expect(bus.replayAfter("b0-5")).toEqual({ kind: "replay", messages: [] });
    expect(bus.replayAfter("b0-0")).toMatchObject({ kind: "replay" });
  });

  it("answers reset when the ring no longer holds what was missed, for another boot, and for garbage", () => {
    const bus = createLiveBus(4, "b0");
    for (let i = 0; i < 10; i++) bus.publish(`host:${i}`);
    // The ring keeps 7..10: after 6 is still complete, after 5 is not.
    const r = bus.replayAfter("b0-6");
    expect(r.kind === "replay" && r.messages.map((m) => m.id)).toEqual([7, 8, 9, 10]);
    expect(bus.replayAfter("b0-5")).toEqual({ kind: "reset" });
    expect(bus.replayAfter("b1-9")).toEqual({ kind: "reset" });
    expect(bus.replayAfter("b0-11")).toEqual({ kind: "reset" });
    expect(bus.replayAfter("nonsense")).toEqual({ kind: "reset" });
  });

  it("a failing subscriber does not stop the others", () => {
    const bus = createLiveBus(4, "b0");
    let seen = 0;
    bus.subscribe(() => {
      throw new Error("boom");
    });
    bus.subscribe(() => seen++);
    bus.publish("fleet");
    expect(seen).toBe(1);
  });
});

describe("who sees a message", () => {
  const msg = (topic: LiveMessage["topic"], service: string | null = null): LiveMessage => ({ id: 1, topic, service, at: 0 });

  it("a token scoped to services sees only those services' messages", () => {
    const scoped = { services: ["web"] };
    expect(liveMessageVisible(msg("service:web", "web"), null, scoped)).toBe(true);
    expect(liveMessageVisible(msg("operation:4", "web"), null, scoped)).toBe(true);
    expect(liveMessageVisible(msg("service:db", "db"), null, scoped)).toBe(false);
    expect(liveMessageVisible(msg("fleet"), null, scoped)).toBe(false);
    expect(liveMessageVisible(msg("quarantine"), null, scoped)).toBe(false);
    expect(liveMessageVisible(msg("fleet"), null, { services: null })).toBe(true);
    expect(liveMessageVisible(msg("service:db", "db"), null, {})).toBe(true);
  });

  it("topic filters: exact topics and prefix:*", () => {
    expect(liveMessageVisible(msg("host:3"), ["fleet", "host:*"], {})).toBe(true);
    expect(liveMessageVisible(msg("host:3"), ["host:4"], {})).toBe(false);
    expect(liveMessageVisible(msg("service:web", "web"), ["service:web"], {})).toBe(true);
    expect(liveMessageVisible(msg("service:webx", "webx"), ["service:web"], {})).toBe(false);
    expect(liveMessageVisible(msg("drift"), ["fleet"], {})).toBe(false);
  });

  it("the topics query accepts known topics and refuses others with a clear message", () => {
    expect(StreamQuery.parse({ topics: "fleet,host:*,service:web,operation:12" }).topics).toEqual([
      "fleet",
      "host:*",
      "service:web",
      "operation:12",
    ]);
    expect(StreamQuery.parse({}).topics).toBeNull();
    const bad = StreamQuery.safeParse({ topics: "fleet,secrets" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/comma-separated fleet/);
  });
});

describe("HAProxy samples → service messages", () => {
  const row = (over: Partial<ServerStats> = {}): ServerStats => ({
    server: "web-r1-a",
    status: "UP",
    weight: 100,
    reqTotal: 0,
    hrsp2xx: 0,
    hrsp5xx: 0,
    rate: 0,
    rtimeMs: 0,
    checkStatus: "L7OK",
    lastChangeS: 1,
    currentSessions: 0,
    ...over,
  });
  const owners = new Map([
    ["web", "web"],
    ["web-preview", "web"],
  ]);
  const sample = (at: number, rows: ServerStats[]) => ({
    at,
    backends: new Map([
      ["web", rows],
      ["not-ours", [row()]],
    ]),
  });

  it("publishes at once when a shown field changes, traffic-only changes at most every tick", () => {
    const seen = new Map();
    expect(haproxyChanges(seen, sample(0, [row()]), owners)).toEqual(["web"]);
    expect(haproxyChanges(seen, sample(2000, [row()]), owners)).toEqual([]);
    expect(haproxyChanges(seen, sample(4000, [row({ rate: 5 })]), owners)).toEqual([]);
    expect(haproxyChanges(seen, sample(6000, [row({ rate: 5, status: "DOWN" })]), owners)).toEqual(["web"]);
    expect(haproxyChanges(seen, sample(8000, [row({ rate: 9, status: "DOWN" })]), owners)).toEqual([]);
    expect(haproxyChanges(seen, sample(6000 + TRAFFIC_TICK_MS, [row({ rate: 9, status: "DOWN" })]), owners)).toEqual(["web"]);
    expect(haproxyChanges(seen, sample(6000 + TRAFFIC_TICK_MS * 3, [row({ rate: 9, status: "DOWN" })]), owners)).toEqual([]);
  });
});

describe("messages into the query cache", () => {
  const fresh = () => {
    const qc = new QueryClient();
    qc.setQueryData(fleetKeys.overview, { hosts: [] });
    qc.setQueryData(fleetKeys.containers(1), { n: 1 });
    qc.setQueryData(fleetKeys.containers(2), { n: 2 });
    qc.setQueryData(quarantineKeys.all, { quarantines: [] });
    qc.setQueryData(serviceKeys.overview("web"), { operation: { id: 3, status: "succeeded", steps: [] }, live: "r1" });
    return qc;
  };
  const stale = (qc: QueryClient, key: readonly unknown[]) => qc.getQueryState(key)?.isInvalidated ?? false;

  it("invalidates exactly the queries showing the changed thing", () => {
    const qc = fresh();
    applyLiveMessage(qc, { topic: "host:1", service: null, at: 0 });
    expect(stale(qc, fleetKeys.containers(1))).toBe(true);
    expect(stale(qc, fleetKeys.containers(2))).toBe(false);
    expect(stale(qc, fleetKeys.overview)).toBe(false);
    expect(stale(qc, quarantineKeys.all)).toBe(false);
    applyLiveMessage(qc, { topic: "quarantine", service: null, at: 0 });
    expect(stale(qc, quarantineKeys.all)).toBe(true);
    expect(stale(qc, serviceKeys.overview("web"))).toBe(false);
    applyLiveMessage(qc, { topic: "service:web", service: "web", at: 0 });
    expect(stale(qc, serviceKeys.overview("web"))).toBe(true);
  });

  it("an operation message writes the operation into its query and into its service's overview (newer or same only)", () => {
    const qc = fresh();
    const op = { id: 4, kind: "deploy", status: "running", steps: [{ id: 9, name: "pull", status: "running" }] };
    applyLiveMessage(qc, { topic: "operation:4", service: "web", at: 0, data: op });
    expect(qc.getQueryData(serviceKeys.operation(4))).toEqual({ operation: op });
    expect(qc.getQueryData<{ operation: unknown; live: string }>(serviceKeys.overview("web"))).toEqual({ operation: op, live: "r1" });
    applyLiveMessage(qc, { topic: "operation:2", service: "web", at: 0, data: { ...op, id: 2 } });
    expect((qc.getQueryData(serviceKeys.overview("web")) as { operation: { id: number } }).operation.id).toBe(4);
  });
});
