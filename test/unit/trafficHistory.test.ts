/**
 * The traffic history end to end without a lab: sampler answers → the recorder's
 * rows in SQLite → GET /api/services/{name}/traffic, and the downsampling job.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startApi, type Credentials } from "./support/apiHarness";

const api = await startApi("traffic", { haproxy: false });
const fx = await api.seed();
const viewer: Credentials = { kind: "session", cookie: fx.sessions.viewer };
const { db, schema } = api;
const { serviceByName } = await import("@/server/services/serviceRows");
const { insertReleaseContainer } = await import("@/server/releases/releaseRows");
const { recordEvent } = await import("@/server/releaseLog/recordEvent");
const { startTrafficRecorder } = await import("@/server/live/trafficRecorder");
const { downsampleTraffic } = await import("@/server/live/trafficRetention");
type Sample = import("@/server/live/haproxySampler").HaproxySample;

afterAll(() => api.close());

const service = serviceByName(fx.service);
for (const [number, status] of [
  [1, "live"],
  [2, "candidate"],
] as const) {
  const release = db()
    .insert(schema.releases)
    .values({
      serviceId: service.id,
      number,
      imageRef: `r/web:${number}`,
      spec: service.spec,
      status,
      createdBy: "root",
      createdAt: new Date(),
    })
    .returning()
    .get();
  const name = `r${number}-dead-1`;
  insertReleaseContainer({
    releaseId: release.id,
    hostId: fx.deadHostId,
    slot: "blue",
    name,
    port: 30000 + number,
    serverName: name,
    createdAt: new Date(),
  });
}

/** What the HAProxy sampler hands its listeners (the recorder is one). */
function emit(sample: Sample) {
  const g = globalThis as unknown as { switchyardHaproxySampler: { listeners: Set<(s: Sample) => void> } };
  for (const listener of g.switchyardHaproxySampler.listeners) listener(sample);
}
const stat = (server: string, reqTotal: number, hrsp5xx = 0, rtimeMs = 0) => ({
  server,
  status: "UP",
  weight: 100,
  reqTotal,
  hrsp2xx: reqTotal - hrsp5xx,
  hrsp5xx,
  rate: 0,
  rtimeMs,
  checkStatus: "L7OK",
  lastChangeS: 1,
  currentSessions: 0,
});

describe("traffic history", () => {
  const now = Date.now();
  const start = Math.floor(now / 300_000) * 300_000 - 300_000; // a 5 min boundary 5 to 10 min ago

  it("records 10 s rows per server from the sampler's counters (main + preview backend, counter reset, foreign servers ignored)", () => {
    startTrafficRecorder();
    // Release 1 gets 10 req/s on the main backend, 1 of them a 5xx per 2 s; release 2 gets 2 req/s through the preview backend.
    for (let i = 0; i <= 10; i++) {
      const at = start + i * 2000;
      // HAProxy reloaded at i = 6: r1's counters restarted from 0.
      const r1 = i < 6 ? 1000 + 20 * i : 20 * (i - 5);
      const r1errors = i < 6 ? 50 + i : i - 5;
      emit({
        at,
        backends: new Map([
          ["web-be", [stat("r1-dead-1", r1, r1errors, 7), stat("r2-dead-1", 0), stat("intruder", 5000 + 100 * i), stat("BACKEND", 0)]],
          ["web-preview", [stat("r2-dead-1", 4 * i, 0, 30)]],
          ["other-be", [stat("r1-dead-1", 100 * i)]],
        ]),
      });
    }
    const rows = db().select().from(schema.trafficSamples).orderBy(schema.trafficSamples.at, schema.trafficSamples.serverName).all();
    // Samples at 0..20 s: the buckets [0,10) and [10,20) closed; the one at 20 s is still open.
    expect(rows.map((r) => [r.at - start, r.serverName, r.releaseNumber, r.requests, r.errors5xx, r.coveredMs])).toEqual([
      [0, "r1-dead-1", 1, 80, 4, 8000], // the first reading (at 0) only set the baseline
      [0, "r2-dead-1", 2, 16, 0, 8000],
      [10_000, "r1-dead-1", 1, 100, 5, 10_000], // across the reset at 12 s: 20 counted from 0, not -980
      [10_000, "r2-dead-1", 2, 20, 0, 10_000],
    ]);
    expect(rows[0]).toMatchObject({
      serviceName: "web",
      releaseStatus: "live",
      hostName: "dead",
      bucketS: 10,
      rtimeAvgMs: 7,
      rtimeP95Ms: 7,
    });
    expect(rows[1]).toMatchObject({ releaseStatus: "candidate", rtimeAvgMs: 30 });
  });

  it("GET /api/services/{name}/traffic: a series per side, rates per second, and the switch/deploy markers", async () => {
    recordEvent({ actor: "root", action: "release.deploy", outcome: "info", serviceName: "web", releaseNumber: 2 });
    recordEvent({ actor: "root", action: "release.switch", outcome: "ok", serviceName: "web", releaseNumber: 2 });
    recordEvent({ actor: "root", action: "release.switch", outcome: "ok", serviceName: "another", releaseNumber: 2 });
    const res = await api.call("GET", "/api/services/{name}/traffic", { params: { name: "web" }, query: "range=15m", auth: viewer });
    expect(res.status, res.text).toBe(200);
    const body = res.json as {
      stepS: number;
      sides: {
        release: number;
        status: string;
        requests: number;
        points: { at: number; rps: number | null; errorsPerS: number | null }[];
      }[];
      markers: { kind: string; label: string }[];
    };
    expect(body.stepS).toBe(10);
    expect(body.sides.map((s) => [s.release, s.status, s.requests])).toEqual([
      [1, "live", 180],
      [2, "candidate", 36],
    ]);
    const live = body.sides[0]!.points;
    expect(live.find((p) => p.at === start + 10_000)).toMatchObject({ rps: 10, errorsPerS: 0.5 });
    expect(live.find((p) => p.at === start - 10_000)).toMatchObject({ rps: null });
    expect(body.markers.map((m) => m.label)).toEqual(["deploy → r2", "switch → r2"]);

    const bad = await api.call("GET", "/api/services/{name}/traffic", { params: { name: "web" }, query: "range=2d", auth: viewer });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("range");
  });

  it("after 24 h the 10 s rows become 5 min rows with the same counts; after 7 days they are gone", () => {
    const count = () => db().select().from(schema.trafficSamples).all();
    expect(downsampleTraffic(now).folded).toBe(0);
    const folded = downsampleTraffic(start + 25 * 3_600_000);
    expect(folded.folded).toBe(4);
    const rows = count();
    expect(rows.map((r) => [r.bucketS, r.serverName, r.requests, r.errors5xx, r.coveredMs]).sort()).toEqual([
      [300, "r1-dead-1", 180, 9, 18_000],
      [300, "r2-dead-1", 36, 0, 18_000],
    ]);
    expect(rows.every((r) => r.at % 300_000 === 0)).toBe(true);
    expect(downsampleTraffic(start + 25 * 3_600_000).folded).toBe(0); // nothing is folded twice
    expect(downsampleTraffic(start + 8 * 24 * 3_600_000).deleted).toBe(2);
    expect(count()).toEqual([]);
  });
});
