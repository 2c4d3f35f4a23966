import "server-only";
import { and, desc, eq, inArray, isNotNull, or } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { quarantineExtensions, quarantines } from "@/db/schema";
import type { Actor } from "@/server/auth/actor";
import { config } from "@/server/config";
import { notFound } from "@/server/errors";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { actorFields } from "@/server/releaseLog/actorFields";
import type { EventOutcome } from "@/server/releaseLog/constants";
import type { Limits } from "./quarantineRules";
import { publishQuarantine } from "@/server/live/publishChanges";

export type QuarantineRow = typeof quarantines.$inferSelect;

/** The configured limits: maximum lifetime and the warning's lead time. */
export function quarantineLimits(): Limits {
  const c = config();
  return {
    maxLifetimeS: Math.round(c.SWITCHYARD_QUARANTINE_MAX_HOURS * 3600),
    warnLeadS: Math.round(c.SWITCHYARD_QUARANTINE_WARN_MINUTES * 60),
  };
}

export function quarantineById(id: number): QuarantineRow {
  const row = db().select().from(quarantines).where(eq(quarantines.id, id)).get();
  if (!row) throw notFound(`Quarantine ${id}`);
  return row;
}

export function listQuarantineRows(): QuarantineRow[] {
  return db().select().from(quarantines).orderBy(desc(quarantines.id)).all();
}

/** Rows the timers look at: not yet destroyed (or given up on). */
export function pendingQuarantineRows(): QuarantineRow[] {
  return db()
    .select()
    .from(quarantines)
    .where(inArray(quarantines.status, ["active", "destroying"]))
    .all();
}

export function updateQuarantine(id: number, set: Partial<QuarantineRow>): void {
  publishQuarantine();
  db().update(quarantines).set(set).where(eq(quarantines.id, id)).run();
}

/** Atomically claims a row for destruction; false when someone else has it or it is gone already. */
export function claimForDestroy(id: number, allowStale: boolean): boolean {
  publishQuarantine();
  const statuses = allowStale ? (["active", "destroying"] as const) : (["active"] as const);
  const res = db()
    .update(quarantines)
    .set({ status: "destroying" })
    .where(and(eq(quarantines.id, id), inArray(quarantines.status, [...statuses])))
    .run();
  return res.changes === 1;
}

/** A new deadline for a quarantine that is still active (warning re-armed); undefined when it is not active any more. */
export function setActiveDeadline(tx: Tx, id: number, deadline: Date): QuarantineRow | undefined {
  publishQuarantine();
  return tx
    .update(quarantines)
    .set({ deadline, warnedAt: null, nextAttemptAt: null })
    .where(and(eq(quarantines.id, id), eq(quarantines.status, "active")))
    .returning()
    .get();
}

export function insertExtension(tx: Tx, values: typeof quarantineExtensions.$inferInsert): void {
  tx.insert(quarantineExtensions).values(values).run();
}

export function extensionsOf(quarantineId: number) {
  return db()
    .select()
    .from(quarantineExtensions)
    .where(eq(quarantineExtensions.quarantineId, quarantineId))
    .orderBy(quarantineExtensions.id)
    .all();
}

/** One release-log event about a quarantine, with its service, release, host and container. */
export function logQuarantine(
  actor: Actor | null | string,
  q: QuarantineRow,
  action: string,
  outcome: EventOutcome,
  message: string,
  detail?: unknown,
): void {
  const who =
    typeof actor === "string" || actor === null ? { actor: actor ?? "system", actorRole: null, sourceIp: null } : actorFields(actor);
  recordEvent({
    ...who,
    action: `quarantine.${action}`,
    outcome,
    serviceName: q.serviceName,
    releaseNumber: q.releaseNumber,
    hostName: q.hostName,
    containerName: q.quarantinedName,
    message,
    detail: { quarantineId: q.id, ...(detail && typeof detail === "object" ? detail : {}) },
  });
}

/** The quarantine an operation marked (undefined when it was cut off before marking one). */
export function quarantineByOperation(opId: number): QuarantineRow | undefined {
  return db().select().from(quarantines).where(eq(quarantines.operationId, opId)).get();
}

export function insertQuarantine(tx: Tx, values: typeof quarantines.$inferInsert): QuarantineRow {
  publishQuarantine();
  return tx.insert(quarantines).values(values).returning().get();
}

export function setQuarantinedName(tx: Tx, id: number, quarantinedName: string): QuarantineRow {
  publishQuarantine();
  return tx.update(quarantines).set({ quarantinedName }).where(eq(quarantines.id, id)).returning().get();
}

/** The id of the quarantine of a release container, if it has one. */
export function quarantineIdOfContainer(releaseContainerId: number): number | undefined {
  return db().select({ id: quarantines.id }).from(quarantines).where(eq(quarantines.releaseContainerId, releaseContainerId)).get()?.id;
}

/** A quarantine on a host whose container had this Docker id, original name or quarantined name. */
export function quarantineOnHostByRef(hostId: number, ref: string): QuarantineRow | undefined {
  return db()
    .select()
    .from(quarantines)
    .where(
      and(
        eq(quarantines.hostId, hostId),
        or(eq(quarantines.dockerId, ref), eq(quarantines.originalName, ref), eq(quarantines.quarantinedName, ref)),
      ),
    )
    .get();
}

/** The extensions of several quarantines, oldest first. */
export function extensionsOfQuarantines(quarantineIds: number[]) {
  if (quarantineIds.length === 0) return [];
  return db()
    .select()
    .from(quarantineExtensions)
    .where(inArray(quarantineExtensions.quarantineId, quarantineIds))
    .orderBy(quarantineExtensions.id)
    .all();
}

/** Self-destruct cancelled (no deadline, no retry) on a quarantine still active with a deadline; undefined when it is not any more. */
export function cancelActiveDeadline(
  id: number,
  cancelled: { cancelReason: string; cancelledBy: string; cancelledAt: Date },
): QuarantineRow | undefined {
  publishQuarantine();
  return db()
    .update(quarantines)
    .set({ deadline: null, ...cancelled, nextAttemptAt: null })
    .where(and(eq(quarantines.id, id), eq(quarantines.status, "active"), isNotNull(quarantines.deadline)))
    .returning()
    .get();
}
