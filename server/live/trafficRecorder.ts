import "server-only";
import { activeServerOwners } from "@/server/releases/releaseRows";
import { specOf } from "@/server/services/serviceRows";
import { onHaproxySample, type HaproxySample } from "./haproxySampler";
import {
  addIntervals,
  bucketRows,
  bucketStart,
  intervalDeltas,
  type CounterReading,
  type OpenBucket,
  type ServerOwner,
  type TrafficRow,
} from "./trafficBuckets";
import { writeIfFree } from "@/db/client";
import { insertTrafficRows } from "./trafficRows";

/** Width of a history row while it is fine-grained (the first 24 h). */
export const TRAFFIC_BUCKET_S = 10;

type RecorderState = { readings: Map<string, CounterReading>; bucket: OpenBucket | null; unsubscribe: (() => void) | null };
const globalForRecorder = globalThis as unknown as { switchyardTrafficRecorder?: RecorderState };
const state = (globalForRecorder.switchyardTrafficRecorder ??= { readings: new Map(), bucket: null, unsubscribe: null });

/** backend/server → its service, release and host, from the containers SQLite recorded (main and preview backends). */
function serverOwners(): Map<string, ServerOwner> {
  const out = new Map<string, ServerOwner>();
  const specs = new Map<string, ReturnType<typeof specOf> | null>();
  for (const row of activeServerOwners()) {
    if (!specs.has(row.serviceName)) {
      try {
        specs.set(row.serviceName, specOf({ spec: row.serviceSpec }));
      } catch {
        specs.set(row.serviceName, null);
      }
    }
    const haproxy = specs.get(row.serviceName)?.haproxy;
    if (!haproxy) continue;
    const owner = {
      serviceName: row.serviceName,
      releaseNumber: row.releaseNumber,
      releaseStatus: row.releaseStatus,
      hostName: row.hostName,
    };
    for (const backend of [haproxy.backend, haproxy.previewBackend]) if (backend) out.set(`${backend}/${row.serverName}`, owner);
  }
  return out;
}

/** Rows a closed bucket could not write yet (another writer held the database): written with the next one. */
let unwritten: TrafficRow[] = [];
const UNWRITTEN_MAX = 20_000;

function closeBucket(bucket: OpenBucket): void {
  if (bucket.servers.size === 0) return;
  const owners = serverOwners();
  const rows = [...unwritten, ...bucketRows(bucket, TRAFFIC_BUCKET_S, (backend, server) => owners.get(`${backend}/${server}`))];
  // Never wait out another writer's lock here: better-sqlite3 would stall the whole process meanwhile.
  unwritten = writeIfFree((tx) => insertTrafficRows(rows, tx)) ? [] : rows.slice(-UNWRITTEN_MAX);
}

/** One sampler answer: counter deltas into the open 10 s bucket; a bucket closes (into SQLite) when a sample falls past it. */
function record(sample: HaproxySample): void {
  const { intervals, readings } = intervalDeltas(state.readings, sample.at, sample.backends);
  state.readings = readings;
  const start = bucketStart(sample.at, TRAFFIC_BUCKET_S * 1000);
  if (state.bucket && state.bucket.start !== start) {
    const closed = state.bucket;
    state.bucket = null;
    closeBucket(closed);
  }
  state.bucket = addIntervals(state.bucket ?? { start, servers: new Map() }, intervals);
}

/** Starts recording the traffic history from the HAProxy sampler (idempotent). Never calls HAProxy itself. */
export function startTrafficRecorder(): void {
  if (state.unsubscribe) return;
  state.unsubscribe = onHaproxySample((sample) => {
    try {
      record(sample);
    } catch (err) {
      console.error("[switchyard] traffic history:", err);
    }
  });
}
