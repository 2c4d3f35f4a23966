import "server-only";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { driftChangeSets } from "@/db/schema";
import type { StoredChange } from "./changes";

/** Stores a change list once per distinct content; returns its hash (null for no changes). */
export function putChangeSet(changes: StoredChange[]): string | null {
  if (changes.length === 0) return null;
  const json = JSON.stringify(changes);
  const hash = createHash("sha256").update(json).digest("hex");
  db().insert(driftChangeSets).values({ hash, count: changes.length, changes: json }).onConflictDoNothing().run();
  return hash;
}

const cache = new Map<string, StoredChange[]>();

/** The change list behind a hash (content-addressed, so safe to cache). */
export function changeSet(hash: string | null): StoredChange[] {
  if (!hash) return [];
  const hit = cache.get(hash);
  if (hit) return hit;
  const row = db().select().from(driftChangeSets).where(eq(driftChangeSets.hash, hash)).get();
  const changes = row ? (JSON.parse(row.changes) as StoredChange[]) : [];
  if (cache.size > 64) cache.delete(cache.keys().next().value!);
  cache.set(hash, changes);
  return changes;
}
