import "server-only";
import { and, between, desc, eq, inArray, like, lt, type SQL } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { events } from "@/db/schema";

export type EventRow = typeof events.$inferSelect;

/** Appends one row to the release log (append-only: nothing updates or deletes these rows). */
export function insertEvent(tx: Tx, values: typeof events.$inferInsert): EventRow {
  return tx.insert(events).values(values).returning().get();
}

/** Release-log rows, newest first, matching every filter given; `action` may use `*` as a wildcard. */
export function eventRows(filter: { serviceName?: string; actor?: string; action?: string; beforeId?: number; limit: number }): EventRow[] {
  const where: SQL[] = [];
  if (filter.serviceName) where.push(eq(events.serviceName, filter.serviceName));
  if (filter.actor) where.push(eq(events.actor, filter.actor));
  if (filter.action) where.push(like(events.action, filter.action.replaceAll("*", "%")));
  if (filter.beforeId) where.push(lt(events.id, filter.beforeId));
  return db()
    .select()
    .from(events)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(events.id))
    .limit(filter.limit)
    .all();
}

/** The service's events with one of these actions between two moments (inclusive), oldest first. */
export function serviceEventsBetween(serviceName: string, actions: readonly string[], from: Date, to: Date): EventRow[] {
  return db()
    .select()
    .from(events)
    .where(and(eq(events.serviceName, serviceName), inArray(events.action, [...actions]), between(events.at, from, to)))
    .orderBy(events.at)
    .all();
}
