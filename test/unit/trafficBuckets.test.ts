/** The pure core of the traffic history: counter deltas, 10 s buckets, downsampling, chart series and markers. */
import { describe, expect, it } from "vitest";
import {
  addIntervals,
  bucketRows,
  counterIncrease,
  downsample,
  intervalDeltas,
  percentile,
  type CounterReading,
  type OpenBucket,
  type TrafficRow,
} from "@/server/live/trafficBuckets";
import { buildMarkers, buildSeries, trafficWindow, type ReleaseBucket } from "@/server/live/trafficSeries";

const row = (server: string, reqTotal: number, hrsp5xx = 0, rtimeMs = 5) => ({ server, reqTotal, hrsp5xx, rtimeMs });
const sample = (backends: Record<string, ReturnType<typeof row>[]>) => new Map(Object.entries(backends));

describe("counter deltas", () => {
  it("counts growth, and after a reset (reload, server re-added) counts the new value from 0", () => {
    expect(counterIncrease(100, 130)).toBe(30);
    expect(counterIncrease(100, 7)).toBe(7);
    expect(counterIncrease(0, 0)).toBe(0);
  });

  it("a first reading only sets the baseline; later readings give intervals; BACKEND rows and departed servers are dropped", () => {
    const first = intervalDeltas(new Map(), 1000, sample({ web: [row("r1-alpha-1", 50, 2), row("BACKEND", 50)] }));
    expect(first.intervals).toEqual([]);
    expect([...first.readings.keys()]).toEqual(["web/r1-alpha-1"]);

    const second = intervalDeltas(first.readings, 3000, sample({ web: [row("r1-alpha-1", 70, 3, 12), row("r2-alpha-1", 0)] }));
    expect(second.intervals).toEqual([
      { backend: "web", server: "r1-alpha-1", at: 3000, ms: 2000, requests: 20, errors5xx: 1, rtimeMs: 12 },
    ]);
    expect([...second.readings.keys()].sort()).toEqual(["web/r1-alpha-1", "web/r2-alpha-1"]);

    // HAProxy reloaded: req_tot and hrsp_5xx restarted from 0; r1 left the backend.
    const third = intervalDeltas(second.readings, 5000, sample({ web: [row("r2-alpha-1", 4, 0, 9)] }));
    expect(third.intervals).toEqual([{ backend: "web", server: "r2-alpha-1", at: 5000, ms: 2000, requests: 4, errors5xx: 0, rtimeMs: 9 }]);
    const reset = intervalDeltas(second.readings, 5000, sample({ web: [row("r1-alpha-1", 5, 1, 9)] }));
    expect(reset.intervals[0]).toMatchObject({ requests: 5, errors5xx: 1 });
    expect([...third.readings.keys()]).toEqual(["web/r2-alpha-1"]);
  });

  it("an idle interval keeps no rtime reading (HAProxy's rtime keeps its last value when no request came)", () => {
    const prev = new Map<string, CounterReading>([["web/r1-alpha-1", { at: 0, reqTotal: 10, hrsp5xx: 0 }]]);
    expect(intervalDeltas(prev, 2000, sample({ web: [row("r1-alpha-1", 10, 0, 40)] })).intervals[0]!.rtimeMs).toBeNull();
  });
});

describe("buckets", () => {
  const owners: Record<string, { serviceName: string; releaseNumber: number; releaseStatus: string; hostName: string }> = {
    "web/r2-alpha-1": { serviceName: "web", releaseNumber: 2, releaseStatus: "candidate", hostName: "alpha" },
    "web-preview/r2-alpha-1": { serviceName: "web", releaseNumber: 2, releaseStatus: "candidate", hostName: "alpha" },
  };
  const interval = (backend: string, at: number, requests: number, rtimeMs: number | null, errors5xx = 0) => ({
    backend,
    server: "r2-alpha-1",
    at,
    ms: 2000,
    requests,
    errors5xx,
    rtimeMs,
  });

  it("adds intervals without touching the open bucket it was given", () => {
    const empty: OpenBucket = { start: 10_000, servers: new Map() };
    const one = addIntervals(empty, [interval("web", 12_000, 3, 4)]);
    expect(empty.servers.size).toBe(0);
    expect(addIntervals(one, [interval("web", 14_000, 5, 8, 1)]).servers.get("web/r2-alpha-1")).toMatchObject({
      requests: 8,
      errors5xx: 1,
      ms: 4000,
    });
  });

  it("one row per service server: main and preview backends added, rtime weighted by requests, p95 nearest rank; unknown servers left out", () => {
    let b: OpenBucket = { start: 10_000, servers: new Map() };
    b = addIntervals(b, [interval("web", 12_000, 10, 10), interval("web-preview", 12_000, 30, 20), interval("web", 14_000, 0, null)]);
    b = addIntervals(b, [{ ...interval("web", 14_000, 99, 1), server: "someone-elses" }]);
    const rows = bucketRows(b, 10, (backend, server) => owners[`${backend}/${server}`]);
    expect(rows).toEqual([
      {
        at: 10_000,
        bucketS: 10,
        serviceName: "web",
        releaseNumber: 2,
        releaseStatus: "candidate",
        hostName: "alpha",
        serverName: "r2-alpha-1",
        requests: 40,
        errors5xx: 0,
        coveredMs: 4000,
        rtimeAvgMs: 17.5,
        rtimeP95Ms: 20,
      },
    ]);
  });

  it("percentile is nearest-rank", () => {
    expect(percentile([], 0.95)).toBeNull();
    expect(percentile([3, 1, 2], 0.95)).toBe(3);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        0.95,
      ),
    ).toBe(95);
  });

  it("downsamples 10 s rows into 5 min rows per server, summing counts and keeping the latest status", () => {
    const base: TrafficRow = {
      at: 0,
      bucketS: 10,
      serviceName: "web",
      releaseNumber: 1,
      releaseStatus: "live",
      hostName: "alpha",
      serverName: "r1-alpha-1",
      requests: 10,
      errors5xx: 1,
      coveredMs: 10_000,
      rtimeAvgMs: 10,
      rtimeP95Ms: 12,
    };
    const rows = [
      base,
      { ...base, at: 290_000, requests: 30, rtimeAvgMs: 30, rtimeP95Ms: 40, releaseStatus: "standby" },
      { ...base, at: 300_000 },
      { ...base, serverName: "r1-beta-1", hostName: "beta" },
    ];
    const out = downsample(rows, 300);
    expect(out).toHaveLength(3);
    expect(out.find((r) => r.serverName === "r1-alpha-1" && r.at === 0)).toEqual({
      ...base,
      bucketS: 300,
      releaseStatus: "standby",
      requests: 40,
      errors5xx: 2,
      coveredMs: 20_000,
      rtimeAvgMs: 25,
      rtimeP95Ms: 40,
    });
    expect(out.find((r) => r.at === 300_000)).toMatchObject({ requests: 10, bucketS: 300 });
  });
});

describe("series and markers", () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 7);
  const window = trafficWindow("15m", now);
  const bucket = (releaseNumber: number, at: number, requests: number, extra: Partial<ReleaseBucket> = {}): ReleaseBucket => ({
    releaseNumber,
    at,
    requests,
    errors5xx: 0,
    coveredMs: 10_000,
    rtimeAvgMs: requests ? 8 : null,
    rtimeP95Ms: requests ? 11 : null,
    ...extra,
  });

  it("the window ends at the last closed 10 s bucket and holds one point per step", () => {
    expect(window.to).toBe(Date.UTC(2026, 0, 1, 12, 0, 0));
    expect(window.from).toBe(window.to - 15 * 60_000);
    expect(trafficWindow("24h", now).stepS).toBe(300);
    const [side] = buildSeries([], window, [{ number: 1, status: "live" }]);
    expect(side!.points).toHaveLength(90);
    expect(side!.points.every((p) => p.rps === null)).toBe(true);
    expect(side!.requests).toBe(0);
  });

  it("one series per side (live, candidate, standby first), plus older releases that had traffic; rates per second, gaps as null", () => {
    const t = window.to - 30_000;
    const rows = [
      bucket(1, t, 50, { errors5xx: 5 }),
      bucket(2, t, 0),
      bucket(2, t + 10_000, 20, { rtimeAvgMs: 20, rtimeP95Ms: 30 }),
      bucket(7, window.from - 10_000, 999), // before the window: not shown
      bucket(3, t, 4),
    ];
    const sides = buildSeries(rows, window, [
      { number: 1, status: "standby" },
      { number: 2, status: "live" },
      { number: 3, status: "retired" },
      { number: 4, status: "candidate" },
    ]);
    expect(sides.map((s) => [s.release, s.status, s.requests])).toEqual([
      [2, "live", 20],
      [4, "candidate", 0],
      [1, "standby", 50],
      [3, "retired", 4],
    ]);
    const at = (release: number, time: number) => sides.find((s) => s.release === release)!.points.find((p) => p.at === time);
    expect(at(1, t)).toEqual({ at: t, rps: 5, errorsPerS: 0.5, rtimeMs: 8, rtimeP95Ms: 11 });
    expect(at(2, t)).toEqual({ at: t, rps: 0, errorsPerS: 0, rtimeMs: null, rtimeP95Ms: null });
    expect(at(2, t + 10_000)!.rps).toBe(2);
    expect(at(2, t - 10_000)!.rps).toBeNull();
  });

  it("a wider step adds its buckets: rate over the covered time, rtime weighted by requests", () => {
    const w = trafficWindow("1h", now);
    const t = w.to - 60_000;
    const [side] = buildSeries(
      [
        bucket(1, t, 10, { rtimeAvgMs: 10, rtimeP95Ms: 10 }),
        bucket(1, t + 10_000, 30, { rtimeAvgMs: 30, rtimeP95Ms: 50 }),
        bucket(1, t + 20_000, 0),
      ],
      w,
      [{ number: 1, status: "live" }],
    );
    expect(side!.points.find((p) => p.at === t)).toEqual({ at: t, rps: 40 / 30, errorsPerS: 0, rtimeMs: 25, rtimeP95Ms: 50 });
  });

  it("markers: finished switches and rollbacks, deploy starts, inside the window, oldest first", () => {
    const events = [
      { at: now - 60_000, action: "release.rollback", outcome: "ok", releaseNumber: 1 },
      { at: now - 120_000, action: "release.switch", outcome: "ok", releaseNumber: 2 },
      { at: now - 130_000, action: "release.switch", outcome: "failed", releaseNumber: 2 },
      { at: now - 200_000, action: "release.deploy", outcome: "info", releaseNumber: 2 },
      { at: now - 190_000, action: "release.candidate", outcome: "ok", releaseNumber: 2 },
      { at: window.from - 1, action: "release.deploy", outcome: "info", releaseNumber: 1 },
    ];
    expect(buildMarkers(events, { from: window.from, to: now })).toEqual([
      { at: now - 200_000, kind: "deploy", release: 2, label: "deploy → r2" },
      { at: now - 120_000, kind: "switch", release: 2, label: "switch → r2" },
      { at: now - 60_000, kind: "rollback", release: 1, label: "rollback → r1" },
    ]);
  });
});
