import "server-only";
import { and, desc, eq, isNotNull, lt, ne, notInArray } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { driftChangeSets, driftResults, driftScanHosts, driftScans } from "@/db/schema";
import { SCANS_KEPT, type ScanTrigger } from "./constants";
import { publishDrift } from "@/server/live/publishChanges";

export type ScanRow = typeof driftScans.$inferSelect;
export type ScanHostRow = typeof driftScanHosts.$inferSelect;
export type ResultRow = typeof driftResults.$inferSelect;
export type NewResultRow = typeof driftResults.$inferInsert;

export function insertScan(trigger: ScanTrigger, actor: string, hostsTotal: number): ScanRow {
  publishDrift();
  return db().insert(driftScans).values({ trigger, actor, status: "running", hostsTotal, startedAt: new Date() }).returning().get();
}

export function scanRow(id: number): ScanRow | undefined {
  return db().select().from(driftScans).where(eq(driftScans.id, id)).get();
}

export function runningScanRow(): ScanRow | undefined {
  return db().select().from(driftScans).where(eq(driftScans.status, "running")).orderBy(desc(driftScans.id)).get();
}

export function latestScanRow(): ScanRow | undefined {
  return db().select().from(driftScans).orderBy(desc(driftScans.id)).get();
}

export function finishScan(id: number, status: "done" | "failed" | "interrupted", error?: string): void {
  publishDrift();
  db()
    .update(driftScans)
    .set({ status, error: error ?? null, finishedAt: new Date() })
    .where(eq(driftScans.id, id))
    .run();
}

export function insertScanHost(scanId: number, host: { id: number; name: string }): ScanHostRow {
  return db()
    .insert(driftScanHosts)
    .values({ scanId, hostId: host.id, hostName: host.name, status: "running", startedAt: new Date() })
    .returning()
    .get();
}

export function updateScanHost(id: number, patch: Partial<ScanHostRow>): void {
  publishDrift();
  db().update(driftScanHosts).set(patch).where(eq(driftScanHosts.id, id)).run();
}

export function scanHostsOf(scanId: number): ScanHostRow[] {
  return db().select().from(driftScanHosts).where(eq(driftScanHosts.scanId, scanId)).orderBy(driftScanHosts.hostName).all();
}

/**
 * The host's last finished scan: the one function for it. `done` only (the
 * default: a scan that saw the containers) or also `unreachable` ones; before
 * a given host scan when asked.
 */
export function lastFinishedHostScan(
  hostId: number,
  opts: { includeUnreachable?: boolean; beforeId?: number } = {},
): ScanHostRow | undefined {
  return db()
    .select()
    .from(driftScanHosts)
    .where(
      and(
        eq(driftScanHosts.hostId, hostId),
        opts.includeUnreachable ? ne(driftScanHosts.status, "running") : eq(driftScanHosts.status, "done"),
        opts.beforeId ? lt(driftScanHosts.id, opts.beforeId) : undefined,
      ),
    )
    .orderBy(desc(driftScanHosts.id))
    .get();
}

/** The host's row in a given scan (its progress while the scan runs). */
export function scanHostOf(scanId: number, hostId: number): ScanHostRow | undefined {
  return db()
    .select()
    .from(driftScanHosts)
    .where(and(eq(driftScanHosts.scanId, scanId), eq(driftScanHosts.hostId, hostId)))
    .get();
}

export function runningScanRows(): ScanRow[] {
  return db().select().from(driftScans).where(eq(driftScans.status, "running")).all();
}

/** Host rows of a scan still running, closed as unreachable (the scan was cut off). */
export function closeRunningScanHosts(scanId: number, error: string): void {
  db()
    .update(driftScanHosts)
    .set({ status: "unreachable", error, finishedAt: new Date() })
    .where(and(eq(driftScanHosts.scanId, scanId), eq(driftScanHosts.status, "running")))
    .run();
}

export function insertResult(values: NewResultRow): void {
  db().insert(driftResults).values(values).run();
}

/** The verdict columns of a stored result, after the ignore rules were applied again. */
export function updateResultEvaluation(tx: Tx, id: number, fields: Partial<NewResultRow>): void {
  tx.update(driftResults).set(fields).where(eq(driftResults.id, id)).run();
}

export function updateScanHostGone(tx: Tx, id: number, gone: string): void {
  tx.update(driftScanHosts).set({ gone }).where(eq(driftScanHosts.id, id)).run();
}

export function resultsOf(scanHostId: number): ResultRow[] {
  return db().select().from(driftResults).where(eq(driftResults.scanHostId, scanHostId)).orderBy(driftResults.name).all();
}

/** Keeps the newest SCANS_KEPT scans (their results cascade) and the change lists still referenced. */
export function pruneScans(): void {
  const oldest = db()
    .select({ id: driftScans.id })
    .from(driftScans)
    .orderBy(desc(driftScans.id))
    .limit(1)
    .offset(SCANS_KEPT - 1)
    .get();
  if (!oldest) return;
  db().delete(driftScans).where(lt(driftScans.id, oldest.id)).run();
  const referenced = db().select({ hash: driftResults.changeSet }).from(driftResults).where(isNotNull(driftResults.changeSet));
  db().delete(driftChangeSets).where(notInArray(driftChangeSets.hash, referenced)).run();
}
