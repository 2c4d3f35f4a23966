import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { services } from "@/db/schema";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { releaseById, releaseSpec, setReleaseStatus } from "@/server/releases/releaseRows";
import { removeReleaseContainers } from "@/server/releases/removeReleaseContainers";
import { applyServiceRouting } from "@/server/routing/applyServiceRouting";
import { specOf } from "@/server/services/serviceRows";
import { finishOperation, noteStep, runningOperations, type OperationRow } from "./operationLog";
import { isTracked } from "./operationTracker";

/**
 * After a restart: every operation still marked running was cut off. A deploy
 * that had not reached its preview is undone (its containers removed); a
 * switch, rollback or retire is completed as SQLite recorded it (the switch
 * commits in one transaction, so the record says which side won).
 */
export async function resumeOperations(): Promise<void> {
  for (const op of runningOperations()) {
    if (isTracked(op.id)) continue;
    try {
      await resumeOne(op);
    } catch (err) {
      console.error(`[switchyard] could not resume operation ${op.id}:`, err);
    }
  }
}

async function resumeOne(op: OperationRow): Promise<void> {
  const service = op.serviceId ? db().select().from(services).where(eq(services.id, op.serviceId)).get() : undefined;
  const log = (outcome: "ok" | "failed", message: string, releaseNumber?: number) =>
    recordEvent({ actor: "system", action: `recovery.${op.kind}`, outcome, serviceName: service?.name, releaseNumber, message });
  if (!service) {
    finishOperation(op.id, "failed", "service no longer exists");
    return;
  }
  const release = op.releaseId ? releaseById(op.releaseId) : undefined;
  if (op.kind === "deploy" || op.kind === "redeploy") {
    if (release && release.status === "deploying") {
      setReleaseStatus(release.id, "failed", { failureReason: "interrupted by a server restart; undone" });
      await applyServiceRouting(service.id, releaseSpec(release)).catch(() => undefined);
      const left = await removeReleaseContainers([release.id]);
      noteStep(op.id, "undone after restart: new containers removed", left.length ? "failed" : "undone", left.join("; ") || undefined);
      finishOperation(op.id, "undone", "interrupted by a server restart; the new containers were removed");
      log("ok", `deploy #${op.id} interrupted by a restart was undone; release ${release.number} marked failed`, release.number);
      return;
    }
    if (!release) {
      noteStep(op.id, "undone after restart: nothing had been created", "undone");
      finishOperation(op.id, "undone", "interrupted by a server restart before a release was recorded");
      log("ok", `deploy #${op.id} interrupted before it created anything`);
      return;
    }
  }
  // switch / rollback / retire, or a deploy already past its preview: complete what SQLite recorded.
  await applyServiceRouting(service.id, specOf(service));
  noteStep(op.id, "completed after restart: routing re-applied as recorded", "done");
  finishOperation(op.id, "succeeded");
  log("ok", `${op.kind} #${op.id} interrupted by a restart was completed as recorded`, release?.number);
}
