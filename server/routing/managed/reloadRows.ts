import "server-only";
import { desc } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { haproxyReloads } from "@/db/schema";

export type ReloadRow = typeof haproxyReloads.$inferSelect;

export function insertReloadRow(tx: Tx, values: typeof haproxyReloads.$inferInsert): ReloadRow {
  return tx.insert(haproxyReloads).values(values).returning().get();
}

export function lastReloads(limit = 10): ReloadRow[] {
  return db().select().from(haproxyReloads).orderBy(desc(haproxyReloads.id)).limit(limit).all();
}
