import "server-only";
import { db } from "@/db/client";
import { downsample } from "./trafficBuckets";
import { TRAFFIC_BUCKET_S } from "./trafficRecorder";
import { deleteFineRowsBefore, deleteTrafficBefore, fineRowsBefore, insertTrafficRows } from "./trafficRows";

const HOUR_MS = 3_600_000;
/** 10 s rows are kept this long, then folded into 5 min rows. */
const FINE_FOR_MS = 24 * HOUR_MS;
export const COARSE_BUCKET_S = 300;
/** Nothing is kept longer. */
const KEEP_MS = 7 * 24 * HOUR_MS;

/**
 * The periodic job: 10 s rows older than 24 h become 5 min rows (only whole
 * 5 min buckets, so a bucket is never folded twice), and rows older than
 * 7 days are deleted. One transaction: a crash leaves either the fine rows or
 * the coarse ones, never both.
 */
export function downsampleTraffic(now = Date.now()): { folded: number; deleted: number } {
  const coarseMs = COARSE_BUCKET_S * 1000;
  const before = Math.floor((now - FINE_FOR_MS) / coarseMs) * coarseMs;
  return db().transaction((tx) => {
    const fine = fineRowsBefore(tx, TRAFFIC_BUCKET_S, before);
    deleteFineRowsBefore(tx, TRAFFIC_BUCKET_S, before);
    insertTrafficRows(downsample(fine, COARSE_BUCKET_S), tx);
    const deleted = deleteTrafficBefore(tx, now - KEEP_MS);
    return { folded: fine.length, deleted };
  });
}
