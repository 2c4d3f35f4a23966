/** Pure: the history rows of a service → chart series per release side, and release-log events → time-axis markers. */
import { bucketStart, percentile } from "./trafficBuckets";

export const TRAFFIC_RANGES = {
  "15m": { ms: 15 * 60_000, stepS: 10 },
  "1h": { ms: 3_600_000, stepS: 30 },
  "24h": { ms: 86_400_000, stepS: 300 },
} as const;
export type TrafficRange = keyof typeof TRAFFIC_RANGES;

/** What the history holds for one release and bucket, its servers added together. */
export type ReleaseBucket = {
  releaseNumber: number;
  at: number;
  requests: number;
  errors5xx: number;
  coveredMs: number;
  rtimeAvgMs: number | null;
  rtimeP95Ms: number | null;
};

/** One step of a chart. Null: nothing recorded in that step (the chart leaves a gap). */
export type TrafficPoint = {
  at: number;
  rps: number | null;
  errorsPerS: number | null;
  /** HAProxy's rtime (average of the last 1024 requests), request-weighted over the step. */
  rtimeMs: number | null;
  /** Nearest-rank p95 of the 2 s rtime readings in the step (for a wider step, of the 10 s buckets' values). */
  rtimeP95Ms: number | null;
};

export type SideSeries = {
  release: number;
  /** The release's status now: live, candidate, standby, retired ... */
  status: string;
  /** Requests in the whole window: 0 means "no traffic yet". */
  requests: number;
  points: TrafficPoint[];
};

export type TrafficWindow = { from: number; to: number; stepS: number };

/** The window of a range ending at `now`: it ends at the last closed 10 s bucket and starts on a step boundary. */
export function trafficWindow(range: TrafficRange, now: number): TrafficWindow {
  const { ms, stepS } = TRAFFIC_RANGES[range];
  const to = bucketStart(now, 10_000);
  return { from: bucketStart(to - ms, stepS * 1000), to, stepS };
}

const SIDE_ORDER = ["live", "candidate", "standby", "deploying"];

/**
 * One series per release: every release that is a side now (even without
 * data, so its chart says "no traffic yet"), and every other release that has
 * rows in the window. Sides first (live, candidate, standby), then by number, newest first.
 */
export function buildSeries(
  rows: readonly ReleaseBucket[],
  window: TrafficWindow,
  releases: readonly { number: number; status: string }[],
): SideSeries[] {
  const stepMs = window.stepS * 1000;
  const statusOf = new Map(releases.map((r) => [r.number, r.status]));
  const inWindow = rows.filter((r) => r.at >= window.from && r.at < window.to);
  const numbers = new Set([
    ...releases.filter((r) => SIDE_ORDER.includes(r.status)).map((r) => r.number),
    ...inWindow.map((r) => r.releaseNumber),
  ]);
  const rank = (n: number) => {
    const i = SIDE_ORDER.indexOf(statusOf.get(n) ?? "");
    return i === -1 ? SIDE_ORDER.length : i;
  };
  return [...numbers]
    .sort((a, b) => rank(a) - rank(b) || b - a)
    .map((number) => {
      const steps = new Map<number, ReleaseBucket[]>();
      for (const r of inWindow) {
        if (r.releaseNumber !== number) continue;
        const t = bucketStart(r.at, stepMs);
        steps.set(t, [...(steps.get(t) ?? []), r]);
      }
      const points: TrafficPoint[] = [];
      for (let t = window.from; t < window.to; t += stepMs) points.push(point(t, steps.get(t) ?? []));
      const requests = [...steps.values()].flat().reduce((a, r) => a + r.requests, 0);
      return { release: number, status: statusOf.get(number) ?? "deleted", requests, points };
    });
}

function point(at: number, rows: readonly ReleaseBucket[]): TrafficPoint {
  const seconds = rows.reduce((a, r) => a + r.coveredMs, 0) / 1000;
  if (rows.length === 0 || !(seconds > 0)) return { at, rps: null, errorsPerS: null, rtimeMs: null, rtimeP95Ms: null };
  const requests = rows.reduce((a, r) => a + r.requests, 0);
  const timed = rows.filter((r) => r.rtimeAvgMs !== null && r.requests > 0);
  const timedRequests = timed.reduce((a, r) => a + r.requests, 0);
  return {
    at,
    rps: requests / seconds,
    errorsPerS: rows.reduce((a, r) => a + r.errors5xx, 0) / seconds,
    rtimeMs: timedRequests > 0 ? timed.reduce((a, r) => a + r.rtimeAvgMs! * r.requests, 0) / timedRequests : null,
    rtimeP95Ms: percentile(
      rows.flatMap((r) => (r.rtimeP95Ms === null ? [] : [r.rtimeP95Ms])),
      0.95,
    ),
  };
}

export type MarkerKind = "switch" | "rollback" | "deploy";
export type TrafficMarker = { at: number; kind: MarkerKind; release: number | null; label: string };

/** The release-log actions that become markers: a finished switch or rollback, and the start of a deploy. */
export const MARKER_ACTIONS: Record<string, { kind: MarkerKind; outcome: string }> = {
  "release.switch": { kind: "switch", outcome: "ok" },
  "release.rollback": { kind: "rollback", outcome: "ok" },
  "release.deploy": { kind: "deploy", outcome: "info" },
  "release.redeploy": { kind: "deploy", outcome: "info" },
};

/** Release-log events → markers inside the window, oldest first; other actions and failed attempts are left out. */
export function buildMarkers(
  events: readonly { at: number; action: string; outcome: string; releaseNumber: number | null }[],
  window: Pick<TrafficWindow, "from" | "to">,
): TrafficMarker[] {
  return events
    .flatMap((e) => {
      const m = MARKER_ACTIONS[e.action];
      if (!m || m.outcome !== e.outcome || e.at < window.from || e.at > window.to) return [];
      const release = e.releaseNumber;
      return [{ at: e.at, kind: m.kind, release, label: release === null ? m.kind : `${m.kind} → r${release}` }];
    })
    .sort((a, b) => a.at - b.at);
}
