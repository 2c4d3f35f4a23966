import "server-only";
import { and, eq, getTableColumns, gte, lt, sql } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { trafficSamples } from "@/db/schema";
import type { TrafficRow } from "./trafficBuckets";

/** In chunks of 500 rows, well under SQLite's limit on bound variables. */
export function insertTrafficRows(rows: readonly TrafficRow[], tx: Tx = db()): void {
  for (let i = 0; i < rows.length; i += 500)
    tx.insert(trafficSamples)
      .values(rows.slice(i, i + 500))
      .run();
}

/** One release's bucket, its servers added together (rtime: request-weighted mean; p95: the worst server's). */
export type ReleaseBucketRow = {
  releaseNumber: number;
  at: number;
  bucketS: number;
  requests: number;
  errors5xx: number;
  coveredMs: number;
  rtimeAvgMs: number | null;
  rtimeP95Ms: number | null;
};

/** The service's buckets that start in [from, to), per release and bucket. */
export function releaseBuckets(serviceName: string, from: number, to: number): ReleaseBucketRow[] {
  const t = trafficSamples;
  return db()
    .select({
      releaseNumber: t.releaseNumber,
      at: t.at,
      bucketS: t.bucketS,
      requests: sql<number>`sum(${t.requests})`,
      errors5xx: sql<number>`sum(${t.errors5xx})`,
      // The servers of a release are read in the same `show stat`: they cover the same time.
      coveredMs: sql<number>`max(${t.coveredMs})`,
      rtimeAvgMs: sql<
        number | null
      >`sum(${t.rtimeAvgMs} * ${t.requests}) / nullif(sum(case when ${t.rtimeAvgMs} is null then 0 else ${t.requests} end), 0)`,
      rtimeP95Ms: sql<number | null>`max(${t.rtimeP95Ms})`,
    })
    .from(t)
    .where(and(eq(t.serviceName, serviceName), gte(t.at, from), lt(t.at, to)))
    .groupBy(t.releaseNumber, t.at, t.bucketS)
    .orderBy(t.at)
    .all();
}

/** Fine rows older than `before` (they get downsampled). */
export function fineRowsBefore(tx: Tx, bucketS: number, before: number): TrafficRow[] {
  const { id: _id, ...columns } = getTableColumns(trafficSamples);
  return tx
    .select(columns)
    .from(trafficSamples)
    .where(and(eq(trafficSamples.bucketS, bucketS), lt(trafficSamples.at, before)))
    .all();
}

export function deleteFineRowsBefore(tx: Tx, bucketS: number, before: number): void {
  tx.delete(trafficSamples)
    .where(and(eq(trafficSamples.bucketS, bucketS), lt(trafficSamples.at, before)))
    .run();
}

/** Deletes every row older than `before`; returns how many. */
export function deleteTrafficBefore(tx: Tx, before: number): number {
  return tx.delete(trafficSamples).where(lt(trafficSamples.at, before)).run().changes;
}
