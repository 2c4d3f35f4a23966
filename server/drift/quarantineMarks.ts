import "server-only";
import { and, inArray, isNotNull, isNull } from "drizzle-orm";
import { db } from "@/db/client";
import { quarantines, releaseContainers } from "@/db/schema";

export type QuarantineMarks = { has: (hostId: number, dockerId: string, releaseContainerId?: number | null) => boolean };

/**
 * Quarantined containers are allowed to drift: those with an active (or
 * being-destroyed) quarantine, and release containers marked quarantined.
 * An abandoned (failed) quarantine is back in traffic and is judged as usual.
 */
export function quarantineMarks(): QuarantineMarks {
  const byContainer = new Set(
    db()
      .select({ hostId: quarantines.hostId, dockerId: quarantines.dockerId })
      .from(quarantines)
      .where(inArray(quarantines.status, ["active", "destroying"]))
      .all()
      .map((r) => `${r.hostId}:${r.dockerId}`),
  );
  const byRow = new Set(
    db()
      .select({ id: releaseContainers.id })
      .from(releaseContainers)
      .where(and(isNotNull(releaseContainers.quarantinedAt), isNull(releaseContainers.removedAt)))
      .all()
      .map((r) => r.id),
  );
  return {
    has: (hostId, dockerId, releaseContainerId) =>
      byContainer.has(`${hostId}:${dockerId}`) || (releaseContainerId != null && byRow.has(releaseContainerId)),
  };
}
