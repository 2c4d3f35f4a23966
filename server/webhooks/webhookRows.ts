import "server-only";
import { and, asc, desc, eq, inArray, lte, or, lt } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { webhookAttempts, webhookDeliveries, webhooks } from "@/db/schema";

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;

export function webhookRows(tx: Tx = db()): WebhookRow[] {
  return tx.select().from(webhooks).orderBy(asc(webhooks.id)).all();
}

export function webhookRow(id: number, tx: Tx = db()): WebhookRow | undefined {
  return tx.select().from(webhooks).where(eq(webhooks.id, id)).get();
}

export function insertWebhook(tx: Tx, values: typeof webhooks.$inferInsert): WebhookRow {
  return tx.insert(webhooks).values(values).returning().get();
}

export function updateWebhookRow(tx: Tx, id: number, values: Partial<typeof webhooks.$inferInsert>): WebhookRow | undefined {
  return tx.update(webhooks).set(values).where(eq(webhooks.id, id)).returning().get();
}

/** Deletes the endpoint; its deliveries and attempts go with it (foreign keys cascade). */
export function deleteWebhookRow(tx: Tx, id: number): WebhookRow | undefined {
  return tx.delete(webhooks).where(eq(webhooks.id, id)).returning().get();
}

export function insertDeliveries(tx: Tx, rows: (typeof webhookDeliveries.$inferInsert)[]): void {
  if (rows.length) tx.insert(webhookDeliveries).values(rows).onConflictDoNothing().run();
}

/** Deliveries whose attempt is due: pending and due, or sending with a lease a crash left behind. */
export function dueDeliveries(now: Date, limit: number): DeliveryRow[] {
  return db()
    .select()
    .from(webhookDeliveries)
    .where(
      or(
        and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)),
        and(eq(webhookDeliveries.status, "sending"), lt(webhookDeliveries.leaseUntil, now)),
      ),
    )
    .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id))
    .limit(limit)
    .all();
}

/** Claims a delivery for one attempt (compare-and-set on its state); false when someone else took it. */
export function claimDelivery(d: DeliveryRow, leaseUntil: Date): boolean {
  const res = db()
    .update(webhookDeliveries)
    .set({ status: "sending", leaseUntil })
    .where(and(eq(webhookDeliveries.id, d.id), eq(webhookDeliveries.status, d.status), eq(webhookDeliveries.attempts, d.attempts)))
    .run();
  return res.changes === 1;
}

export function finishAttempt(
  deliveryId: number,
  attempt: Omit<typeof webhookAttempts.$inferInsert, "deliveryId">,
  next: Partial<typeof webhookDeliveries.$inferInsert>,
): void {
  db().transaction((tx) => {
    tx.insert(webhookAttempts)
      .values({ ...attempt, deliveryId })
      .run();
    tx.update(webhookDeliveries).set(next).where(eq(webhookDeliveries.id, deliveryId)).run();
  });
}

export function deliveryRow(id: number, tx: Tx = db()): DeliveryRow | undefined {
  return tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).get();
}

/** Due now, attempts counted afresh (the attempt history stays). */
export function requeueDelivery(tx: Tx, id: number): void {
  tx.update(webhookDeliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: new Date(), leaseUntil: null })
    .where(eq(webhookDeliveries.id, id))
    .run();
}

export function deliveriesOf(webhookId: number, limit: number): DeliveryRow[] {
  return db()
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.webhookId, webhookId))
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit)
    .all();
}

export function attemptsOf(deliveryIds: number[]): AttemptRow[] {
  if (!deliveryIds.length) return [];
  return db().select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, deliveryIds)).orderBy(asc(webhookAttempts.id)).all();
}
