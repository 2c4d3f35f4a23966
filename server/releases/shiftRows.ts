import "server-only";
import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { releases } from "@/db/schema";

/** Records the candidate's share; false when the release is no longer a candidate (switched or discarded meanwhile). */
export function setCandidateShare(tx: Tx, releaseId: number, percent: number): boolean {
  const changed = tx
    .update(releases)
    .set({ trafficSharePercent: percent })
    .where(and(eq(releases.id, releaseId), eq(releases.status, "candidate")))
    .run();
  return changed.changes === 1;
}
