/**
 * Pure: HAProxy counter readings (2 s apart) → per-server intervals → 10 s
 * bucket rows → 5 min rows. No I/O here; server/live/trafficRecorder.ts feeds it.
 */

/** The fields of a `show stat` server row the history needs (ServerStats has them). */
export type CounterRow = { server: string; reqTotal: number; hrsp5xx: number; rtimeMs: number };

export type CounterReading = { at: number; reqTotal: number; hrsp5xx: number };

/** What one server did between two readings. */
export type ServerInterval = {
  backend: string;
  server: string;
  /** End of the interval (the later reading): it decides the bucket. */
  at: number;
  ms: number;
  requests: number;
  errors5xx: number;
  /** HAProxy's rtime at the later reading, only when the interval saw requests (rtime keeps its last value when idle). */
  rtimeMs: number | null;
};

/** What the history keeps per server and bucket (the traffic_samples columns, without the id). */
export type TrafficRow = {
  at: number;
  bucketS: number;
  serviceName: string;
  releaseNumber: number;
  releaseStatus: string;
  hostName: string;
  serverName: string;
  requests: number;
  errors5xx: number;
  coveredMs: number;
  rtimeAvgMs: number | null;
  rtimeP95Ms: number | null;
};

/** Where a backend's server belongs, from the containers SQLite recorded. */
export type ServerOwner = { serviceName: string; releaseNumber: number; releaseStatus: string; hostName: string };

/**
 * How much a counter grew. A counter that went back was reset (HAProxy
 * reloaded, or the server was deleted and added again): it counted from 0
 * since, so its new value is the increase — the rule Prometheus' rate() uses.
 */
export function counterIncrease(prev: number, next: number): number {
  return next >= prev ? next - prev : next;
}

export function bucketStart(at: number, bucketMs: number): number {
  return Math.floor(at / bucketMs) * bucketMs;
}

/** Nearest-rank percentile (p in 0..1) of the values; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const keyOf = (backend: string, server: string) => `${backend}/${server}`;

/**
 * The intervals between the previous readings and this sample, and the
 * readings to keep for the next one. A server seen for the first time only
 * sets its baseline; a server that left is forgotten.
 */
export function intervalDeltas(
  previous: ReadonlyMap<string, CounterReading>,
  at: number,
  backends: ReadonlyMap<string, readonly CounterRow[]>,
): { intervals: ServerInterval[]; readings: Map<string, CounterReading> } {
  const intervals: ServerInterval[] = [];
  const readings = new Map<string, CounterReading>();
  for (const [backend, rows] of backends) {
    for (const row of rows) {
      if (row.server === "BACKEND" || row.server === "FRONTEND") continue;
      const key = keyOf(backend, row.server);
      readings.set(key, { at, reqTotal: row.reqTotal, hrsp5xx: row.hrsp5xx });
      const prev = previous.get(key);
      if (!prev || !(at > prev.at)) continue;
      const requests = counterIncrease(prev.reqTotal, row.reqTotal);
      // A reset of req_tot resets hrsp_5xx too; judge both by req_tot so they stay consistent.
      const reset = row.reqTotal < prev.reqTotal;
      const errors5xx = reset ? row.hrsp5xx : counterIncrease(prev.hrsp5xx, row.hrsp5xx);
      intervals.push({
        backend,
        server: row.server,
        at,
        ms: at - prev.at,
        requests,
        errors5xx,
        rtimeMs: requests > 0 ? row.rtimeMs : null,
      });
    }
  }
  return { intervals, readings };
}

/** The intervals of one bucket, per server: counts summed, rtime readings kept with their request counts. */
export type OpenBucket = {
  start: number;
  servers: Map<
    string,
    { backend: string; server: string; requests: number; errors5xx: number; ms: number; rtimes: { ms: number; requests: number }[] }
  >;
};

/** Adds intervals to the open bucket (a new object; the input is left as it was). */
export function addIntervals(bucket: OpenBucket, intervals: readonly ServerInterval[]): OpenBucket {
  const servers = new Map(bucket.servers);
  for (const i of intervals) {
    const key = keyOf(i.backend, i.server);
    const s = servers.get(key) ?? { backend: i.backend, server: i.server, requests: 0, errors5xx: 0, ms: 0, rtimes: [] };
    servers.set(key, {
      ...s,
      requests: s.requests + i.requests,
      errors5xx: s.errors5xx + i.errors5xx,
      ms: s.ms + i.ms,
      rtimes: i.rtimeMs === null ? s.rtimes : [...s.rtimes, { ms: i.rtimeMs, requests: i.requests }],
    });
  }
  return { start: bucket.start, servers };
}

/**
 * The rows of a closed bucket: one per service server, its main and preview
 * backends added together (the candidate's traffic arrives through the
 * preview backend). Servers no recorded container owns are left out.
 * rtime: the request-weighted mean of the readings, and their nearest-rank p95.
 */
export function bucketRows(
  bucket: OpenBucket,
  bucketS: number,
  ownerOf: (backend: string, server: string) => ServerOwner | undefined,
): TrafficRow[] {
  const merged = new Map<
    string,
    { owner: ServerOwner; server: string; requests: number; errors5xx: number; ms: number; rtimes: { ms: number; requests: number }[] }
  >();
  for (const s of bucket.servers.values()) {
    const owner = ownerOf(s.backend, s.server);
    if (!owner) continue;
    const key = `${owner.serviceName}/${s.server}`;
    const m = merged.get(key);
    if (!m) merged.set(key, { owner, server: s.server, requests: s.requests, errors5xx: s.errors5xx, ms: s.ms, rtimes: s.rtimes });
    // Main and preview backends are sampled together: the same stretch of time, counted once.
    else
      merged.set(key, {
        ...m,
        requests: m.requests + s.requests,
        errors5xx: m.errors5xx + s.errors5xx,
        ms: Math.max(m.ms, s.ms),
        rtimes: [...m.rtimes, ...s.rtimes],
      });
  }
  return [...merged.values()].map((m) => ({
    at: bucket.start,
    bucketS,
    serviceName: m.owner.serviceName,
    releaseNumber: m.owner.releaseNumber,
    releaseStatus: m.owner.releaseStatus,
    hostName: m.owner.hostName,
    serverName: m.server,
    requests: m.requests,
    errors5xx: m.errors5xx,
    coveredMs: m.ms,
    rtimeAvgMs: weightedMean(m.rtimes.map((r) => ({ value: r.ms, weight: r.requests }))),
    rtimeP95Ms: percentile(
      m.rtimes.map((r) => r.ms),
      0.95,
    ),
  }));
}

function weightedMean(values: readonly { value: number; weight: number }[]): number | null {
  const total = values.reduce((a, v) => a + v.weight, 0);
  return total > 0 ? values.reduce((a, v) => a + v.value * v.weight, 0) / total : null;
}

/**
 * Rows folded into wider buckets (10 s → 5 min), per service, release and
 * server: counts and covered time summed, rtime averaged by requests, p95 the
 * nearest-rank p95 of the rows' p95 values. The status is the latest row's.
 */
export function downsample(rows: readonly TrafficRow[], bucketS: number): TrafficRow[] {
  const groups = new Map<string, TrafficRow[]>();
  for (const r of rows) {
    const key = `${r.serviceName}\u0000${r.releaseNumber}\u0000${r.serverName}\u0000${bucketStart(r.at, bucketS * 1000)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((group) => {
    const latest = group.reduce((a, b) => (b.at > a.at ? b : a));
    return {
      at: bucketStart(latest.at, bucketS * 1000),
      bucketS,
      serviceName: latest.serviceName,
      releaseNumber: latest.releaseNumber,
      releaseStatus: latest.releaseStatus,
      hostName: latest.hostName,
      serverName: latest.serverName,
      requests: group.reduce((a, r) => a + r.requests, 0),
      errors5xx: group.reduce((a, r) => a + r.errors5xx, 0),
      coveredMs: group.reduce((a, r) => a + r.coveredMs, 0),
      rtimeAvgMs: weightedMean(group.flatMap((r) => (r.rtimeAvgMs === null ? [] : [{ value: r.rtimeAvgMs, weight: r.requests }]))),
      rtimeP95Ms: percentile(
        group.flatMap((r) => (r.rtimeP95Ms === null ? [] : [r.rtimeP95Ms])),
        0.95,
      ),
    };
  });
}
