import "server-only";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { hosts } from "@/db/schema";

/** The engine answered: last seen now, no error. */
export function markHostSeen(tx: Tx, hostId: number, at: Date): void {
  tx.update(hosts).set({ lastSeenAt: at, lastError: null, lastErrorAt: null }).where(eq(hosts.id, hostId)).run();
}

/** The engine does not answer: the reason and since when. */
export function markHostError(tx: Tx, hostId: number, error: string, at: Date): void {
  tx.update(hosts).set({ lastError: error, lastErrorAt: at }).where(eq(hosts.id, hostId)).run();
}
