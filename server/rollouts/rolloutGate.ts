/**
 * Pure: the analysis gate. Each HAProxy sample becomes one increment per side
 * (candidate servers, live servers): requests and 5xx from the req_tot and
 * hrsp_5xx counter deltas since the previous sample, and the response time as
 * HAProxy's per-server rtime weighted by those requests (HAProxy has no
 * response-time counter; rtime averages a server's last 1024 requests). The
 * gate sums the increments of the last `windowS` seconds and judges them.
 */
import type { RolloutAnalysis } from "@/server/services/rolloutSpecInput";

type ServerCounters = { server: string; reqTotal: number; hrsp5xx: number; rtimeMs: number };
export type SideIncrement = { requests: number; errors5xx: number; responseMsTimesRequests: number; timedRequests: number };
/** The change between two samples: `at` is the later sample, `spanMs` the time since the earlier one. */
export type GateIncrement = { at: number; spanMs: number; candidate: SideIncrement; live: SideIncrement };

type SideTotals = { requests: number; errors5xx: number; rps: number; ratio5xx: number | null; responseMs: number | null };
export type GateResult = {
  verdict: "pass" | "breach" | "inconclusive";
  windowS: number;
  candidate: SideTotals;
  live: SideTotals;
  /** Each limit breached with its measured value, or why the result is inconclusive. */
  findings: string[];
};

const EMPTY: SideIncrement = { requests: 0, errors5xx: 0, responseMsTimesRequests: 0, timedRequests: 0 };

/**
 * The increment of one side between two samples. A server that is new, or
 * whose counter went back (re-added, HAProxy restarted), counts from 0 rather
 * than producing a negative delta.
 */
export function sideIncrement(
  prev: readonly ServerCounters[],
  next: readonly ServerCounters[],
  servers: ReadonlySet<string>,
): SideIncrement {
  const before = new Map(prev.map((s) => [s.server, s]));
  const out = { ...EMPTY };
  for (const s of next) {
    if (!servers.has(s.server)) continue;
    const p = before.get(s.server);
    const reset = !p || s.reqTotal < p.reqTotal || s.hrsp5xx < p.hrsp5xx;
    const requests = reset ? 0 : s.reqTotal - p.reqTotal;
    const errors = reset ? 0 : s.hrsp5xx - p.hrsp5xx;
    out.requests += requests;
    out.errors5xx += errors;
    if (requests > 0 && s.rtimeMs > 0) {
      out.responseMsTimesRequests += s.rtimeMs * requests;
      out.timedRequests += requests;
    }
  }
  return out;
}

function totals(increments: readonly GateIncrement[], side: "candidate" | "live", seconds: number): SideTotals {
  const sum = increments.reduce(
    (a, i) => ({
      requests: a.requests + i[side].requests,
      errors5xx: a.errors5xx + i[side].errors5xx,
      responseMsTimesRequests: a.responseMsTimesRequests + i[side].responseMsTimesRequests,
      timedRequests: a.timedRequests + i[side].timedRequests,
    }),
    EMPTY,
  );
  return {
    requests: sum.requests,
    errors5xx: sum.errors5xx,
    rps: seconds > 0 ? sum.requests / seconds : 0,
    ratio5xx: sum.requests > 0 ? sum.errors5xx / sum.requests : null,
    responseMs: sum.timedRequests > 0 ? sum.responseMsTimesRequests / sum.timedRequests : null,
  };
}

/** The increments inside the window ending at `now` (those whose later sample is newer than now - windowS). */
function inWindow(increments: readonly GateIncrement[], now: number, windowS: number): GateIncrement[] {
  return increments.filter((i) => i.at > now - windowS * 1000);
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const ms = (x: number) => `${Math.round(x)} ms`;

/** Judges the window: inconclusive below minRequests, breach when any limit is exceeded, pass otherwise. */
export function judgeGate(analysis: RolloutAnalysis, increments: readonly GateIncrement[], now: number): GateResult {
  const window = inWindow(increments, now, analysis.windowS);
  const seconds = window.reduce((a, i) => a + i.spanMs, 0) / 1000;
  const candidate = totals(window, "candidate", seconds);
  const live = totals(window, "live", seconds);
  const base = { windowS: Math.round(seconds * 10) / 10, candidate, live };
  if (candidate.requests < analysis.minRequests) {
    return {
      ...base,
      verdict: "inconclusive",
      findings: [`${candidate.requests} candidate requests in ${base.windowS} s, fewer than minRequests ${analysis.minRequests}`],
    };
  }
  const findings: string[] = [];
  const ratio = candidate.ratio5xx ?? 0;
  if (ratio > analysis.max5xxRatio) findings.push(`5xx ratio ${pct(ratio)} > max5xxRatio ${pct(analysis.max5xxRatio)}`);
  if (candidate.responseMs !== null && candidate.responseMs > analysis.maxResponseMs) {
    findings.push(`response time ${ms(candidate.responseMs)} > maxResponseMs ${ms(analysis.maxResponseMs)}`);
  }
  const liveComparable = live.requests >= analysis.minRequests;
  if (analysis.max5xxRatioVsLive !== undefined && liveComparable && live.ratio5xx) {
    const limit = live.ratio5xx * analysis.max5xxRatioVsLive;
    if (ratio > limit) {
      findings.push(`5xx ratio ${pct(ratio)} > ${analysis.max5xxRatioVsLive} × live ${pct(live.ratio5xx)} (max5xxRatioVsLive)`);
    }
  }
  if (analysis.maxResponseVsLive !== undefined && liveComparable && live.responseMs && candidate.responseMs !== null) {
    const limit = live.responseMs * analysis.maxResponseVsLive;
    if (candidate.responseMs > limit) {
      findings.push(
        `response time ${ms(candidate.responseMs)} > ${analysis.maxResponseVsLive} × live ${ms(live.responseMs)} (maxResponseVsLive)`,
      );
    }
  }
  return { ...base, verdict: findings.length ? "breach" : "pass", findings };
}
