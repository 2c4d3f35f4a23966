/** Pure: turns recorded responses and switch calls into the figures the benchmark prints. */
import type { Sample } from "./loadGen";

export type SwitchCall = {
  index: number;
  kind: "switch" | "rollback";
  from: string;
  to: string;
  /** scheduled start (relative clock) */
  planned: number;
  callStart: number;
  callEnd: number;
  httpStatus: number;
  /** the API's own `ms` (commit + HAProxy routing) */
  apiMs: number | null;
  response: unknown;
};

export type SwitchFigures = {
  index: number;
  kind: string;
  from: string;
  to: string;
  httpStatus: number;
  apiMs: number | null;
  /** API call round trip as the client saw it */
  callMs: number;
  /** (a) call start → first response from the new version (null: never seen in this switch's window) */
  firstNewMs: number | null;
  /** (b) call start → last response from the old version (negative: the old version had already stopped answering) */
  lastOldMs: number | null;
  /** call start → the latest request *sent* that the old version still answered */
  lastOldSentMs: number | null;
  /** old-version responses received after the first new-version response (both served at once) */
  overlap: number;
  /** responses in this switch's window that failed (non-2xx, socket error, unknown body) */
  failures: number;
};

export const isOk = (s: Sample) => s.error === null && s.status >= 200 && s.status < 300;

export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const max = (xs: number[]): number | null => (xs.length ? Math.max(...xs) : null);

/**
 * Per switch i, the window is [callStart_i, callStart_{i+1}) (the last one ends
 * when the load stops). "Old" responses are looked for from the previous
 * switch's call start, so a negative lastOldMs means the old version had
 * already stopped answering before this call started.
 */
export function switchFigures(
  samples: Sample[],
  calls: SwitchCall[],
  loadEnd: number,
  loadStart: number,
  versions: Set<string>,
): SwitchFigures[] {
  const byRecv = [...samples].sort((a, b) => a.recv - b.recv);
  return calls.map((c, i) => {
    const windowEnd = calls[i + 1]?.callStart ?? loadEnd;
    const lookBack = calls[i - 1]?.callStart ?? loadStart;
    let firstNew: number | null = null;
    let lastOld: number | null = null;
    let lastOldSent: number | null = null;
    let failures = 0;
    for (const s of byRecv) {
      if (s.recv < lookBack) continue;
      if (s.recv >= windowEnd) break;
      const ok = isOk(s);
      if (s.recv >= c.callStart && (!ok || !versions.has(s.body ?? ""))) failures++;
      if (!ok) continue;
      if (s.body === c.to && s.recv >= c.callStart && firstNew === null) firstNew = s.recv;
      if (s.body === c.from) {
        lastOld = s.recv;
        lastOldSent = lastOldSent === null ? s.sent : Math.max(lastOldSent, s.sent);
      }
    }
    const overlap =
      firstNew === null ? 0 : byRecv.filter((s) => s.recv > firstNew! && s.recv < windowEnd && isOk(s) && s.body === c.from).length;
    return {
      index: c.index,
      kind: c.kind,
      from: c.from,
      to: c.to,
      httpStatus: c.httpStatus,
      apiMs: c.apiMs,
      callMs: c.callEnd - c.callStart,
      firstNewMs: firstNew === null ? null : firstNew - c.callStart,
      lastOldMs: lastOld === null ? null : lastOld - c.callStart,
      lastOldSentMs: lastOldSent === null ? null : lastOldSent - c.callStart,
      overlap,
      failures,
    };
  });
}

export type LoadSummary = {
  total: number;
  durationS: number;
  achievedRps: number;
  ok2xx: number;
  non2xx: number;
  non2xxByStatus: Record<string, number>;
  socketErrors: number;
  socketErrorsByCode: Record<string, number>;
  unexpectedBodies: number;
  unexpectedBodySamples: string[];
  failed: number;
  latencyMs: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
  /** from the open-loop schedule (includes waiting for a free connection) */
  latencyFromScheduleMs: { p50: number | null; p99: number | null; max: number | null };
  byVersion: Record<string, number>;
  byServer: Record<string, number>;
};

export function summarizeLoad(samples: Sample[], startedAt: number, stoppedAt: number, versions: Set<string>): LoadSummary {
  const count = (xs: string[]) => xs.reduce<Record<string, number>>((acc, x) => ((acc[x] = (acc[x] ?? 0) + 1), acc), {});
  const withStatus = samples.filter((s) => s.error === null);
  const errors = samples.filter((s) => s.error !== null);
  const non2xx = withStatus.filter((s) => s.status < 200 || s.status >= 300);
  const ok = samples.filter(isOk);
  const unexpected = ok.filter((s) => !versions.has(s.body ?? ""));
  const lat = withStatus.map((s) => s.recv - s.sent).sort((a, b) => a - b);
  const latSched = withStatus.map((s) => s.recv - s.sched).sort((a, b) => a - b);
  const durationS = (stoppedAt - startedAt) / 1000;
  return {
    total: samples.length,
    durationS,
    achievedRps: samples.length / durationS,
    ok2xx: ok.length,
    non2xx: non2xx.length,
    non2xxByStatus: count(non2xx.map((s) => String(s.status))),
    socketErrors: errors.length,
    socketErrorsByCode: count(errors.map((s) => s.error!)),
    unexpectedBodies: unexpected.length,
    unexpectedBodySamples: [...new Set(unexpected.map((s) => JSON.stringify(s.body).slice(0, 80)))].slice(0, 5),
    failed: non2xx.length + errors.length + unexpected.length,
    latencyMs: { p50: percentile(lat, 50), p90: percentile(lat, 90), p99: percentile(lat, 99), max: lat.at(-1) ?? null },
    latencyFromScheduleMs: { p50: percentile(latSched, 50), p99: percentile(latSched, 99), max: latSched.at(-1) ?? null },
    byVersion: count(ok.map((s) => s.body ?? "")),
    byServer: count(withStatus.map((s) => s.server ?? "(none)")),
  };
}

/** Failed responses with their context, for the report (first `limit`). */
export function failureDetails(samples: Sample[], versions: Set<string>, origin: number, limit = 50) {
  return samples
    .filter((s) => !isOk(s) || !versions.has(s.body ?? ""))
    .sort((a, b) => a.recv - b.recv)
    .slice(0, limit)
    .map((s) => ({
      sentMs: +(s.sent - origin).toFixed(2),
      recvMs: +(s.recv - origin).toFixed(2),
      status: s.status,
      error: s.error,
      server: s.server,
      slot: s.slot,
      sock: s.sock,
      body: s.body === null ? null : s.body.slice(0, 120),
    }));
}
