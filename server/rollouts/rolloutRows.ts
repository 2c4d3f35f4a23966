import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { rolloutMeasurements, rollouts } from "@/db/schema";
import { RolloutPlan } from "@/server/services/rolloutSpecInput";

export type RolloutRow = typeof rollouts.$inferSelect;
export type RolloutMeasurementRow = typeof rolloutMeasurements.$inferSelect;
type RolloutPatch = Partial<Omit<typeof rollouts.$inferInsert, "id">>;

export function insertRollout(values: typeof rollouts.$inferInsert, tx: Tx = db()): RolloutRow {
  return tx.insert(rollouts).values(values).returning().get();
}

export function rolloutById(id: number, tx: Tx = db()): RolloutRow | undefined {
  return tx.select().from(rollouts).where(eq(rollouts.id, id)).get();
}

export function rolloutOfOperation(operationId: number, tx: Tx = db()): RolloutRow | undefined {
  return tx.select().from(rollouts).where(eq(rollouts.operationId, operationId)).get();
}

/** The service's most recent rollout (running, paused or ended). */
export function latestRolloutOf(serviceId: number, tx: Tx = db()): RolloutRow | undefined {
  return tx.select().from(rollouts).where(eq(rollouts.serviceId, serviceId)).orderBy(desc(rollouts.id)).get();
}

/** The service's rollout that has not ended, if any. */
export function activeRolloutOf(serviceId: number, tx: Tx = db()): RolloutRow | undefined {
  return tx
    .select()
    .from(rollouts)
    .where(and(eq(rollouts.serviceId, serviceId), inArray(rollouts.status, ["running", "paused"])))
    .get();
}

export function updateRollout(id: number, patch: RolloutPatch, tx: Tx = db()): void {
  tx.update(rollouts).set(patch).where(eq(rollouts.id, id)).run();
}

export function planOf(r: RolloutRow): RolloutPlan {
  return RolloutPlan.parse(JSON.parse(r.plan));
}

export function insertMeasurement(values: typeof rolloutMeasurements.$inferInsert, tx: Tx = db()): RolloutMeasurementRow {
  return tx.insert(rolloutMeasurements).values(values).returning().get();
}

/** The newest `limit` measurements of a rollout, oldest first. */
export function measurementsOf(rolloutId: number, limit = 120, tx: Tx = db()): RolloutMeasurementRow[] {
  return tx
    .select()
    .from(rolloutMeasurements)
    .where(eq(rolloutMeasurements.rolloutId, rolloutId))
    .orderBy(desc(rolloutMeasurements.id))
    .limit(limit)
    .all()
    .reverse();
}
