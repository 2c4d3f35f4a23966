import "server-only";
import { errorMessage, ifFound } from "@/server/errors";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { releaseById, releaseByNumber, releaseWithStatus, setReleaseStatus, type ReleaseRow } from "@/server/releases/releaseRows";
import { RECREATE_STOP_STEP, restartLiveAfterCut } from "@/server/releases/recreateRelease";
import { commitSwitch, routeAfterSwitch } from "@/server/releases/switchTraffic";
import { removeReleaseContainers } from "@/server/releases/removeReleaseContainers";
import { applyServiceRouting } from "@/server/routing/applyServiceRouting";
import { specOf } from "@/server/services/serviceRows";
import { resumeQuarantine } from "@/server/quarantine/resumeQuarantine";
import { resumeRollout } from "@/server/rollouts/resumeRollout";
import {
  closeInterruptedSteps,
  finishOperation,
  noteStep,
  operationWithSteps,
  runningOperations,
  serviceOfOperation,
  stepDone,
  type OperationRow,
} from "./operationLog";
import { isTracked } from "./operationTracker";

/**
 * After a restart: every operation still marked running was cut off. A deploy
 * that had not reached its preview is undone (its containers removed); one
 * that had (a healthy candidate) is completed, going live if it was meant to;
 * a switch, rollback or retire whose record step committed is completed as
 * SQLite recorded it (one transaction, so the record says which side won),
 * otherwise nothing had changed and it is marked undone. Runs at start and
 * again with every reconcile, so an operation whose recovery failed (HAProxy
 * down at start) does not lock its service.
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

/**
 * Whether a switch / rollback / retire committed its record. The step is
 * marked done by the statement after the commit, so a crash in between
 * leaves it "running" although SQLite already has the result: ask the
 * releases table (only this operation could have changed its target).
 */
function recordCommitted(op: OperationRow, serviceId: number): boolean {
  if (stepDone(op.id, "record:")) return true;
  const number = (JSON.parse(op.input) as { release?: unknown }).release;
  if (typeof number !== "number") return false;
  const target = ifFound(() => releaseByNumber(serviceId, number));
  return target?.status === (op.kind === "retire" ? "retired" : "live");
}

async function resumeOne(op: OperationRow): Promise<void> {
  const service = serviceOfOperation(op);
  const log = (outcome: "ok" | "failed", message: string, releaseNumber?: number) =>
    recordEvent({ actor: "system", action: `recovery.${op.kind}`, outcome, serviceName: service?.name, releaseNumber, message });
  if (!service) {
    finishOperation(op.id, "failed", "service no longer exists");
    return;
  }
  closeInterruptedSteps(op.id);
  if (op.kind === "quarantine") return resumeQuarantine(op);
  if (op.kind === "rollout") return resumeRollout(op);
  const release = op.releaseId ? releaseById(op.releaseId) : undefined;
  // A recreate that had stopped the live containers: whatever else is undone, the release recorded live must run again.
  const recreating = operationWithSteps(op.id)?.steps.some((s) => s.name.startsWith(RECREATE_STOP_STEP)) ?? false;
  const restartLive = async (stopFirst?: ReleaseRow) => {
    if (!recreating) return;
    const live = releaseWithStatus(service.id, "live");
    await restartLiveAfterCut(live, stopFirst).then(
      (detail) => noteStep(op.id, "recreate after restart: the live release started again", "done", detail),
      (err: unknown) =>
        noteStep(op.id, `recreate after restart: could not start release ${live?.number} again`, "failed", errorMessage(err)),
    );
  };
  if (op.kind === "deploy" || op.kind === "redeploy") {
    if (release && release.status === "deploying") {
      setReleaseStatus(release.id, "failed", { failureReason: "interrupted by a server restart; undone" });
      await applyServiceRouting(service.id, specOf(release)).catch(() => undefined);
      const left = await removeReleaseContainers([release.id]);
      noteStep(op.id, "undone after restart: new containers removed", left.length ? "failed" : "undone", left.join("; ") || undefined);
      await restartLive();
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
  if ((op.kind === "deploy" || op.kind === "redeploy") && release?.status === "candidate") {
    const spec = specOf(release);
    // Recreate has stopped the live release already: a healthy new one must take over.
    if (!releaseWithStatus(service.id, "live") || spec.autoSwitch || recreating) {
      const sw = commitSwitch(service.id, release);
      await routeAfterSwitch(service.id, spec, sw);
      noteStep(op.id, "completed after restart: the healthy release went live as intended", "done");
      finishOperation(op.id, "succeeded");
      log("ok", `deploy #${op.id} interrupted by a restart was completed: release ${release.number} is live`, release.number);
      return;
    }
  }
  if ((op.kind === "switch" || op.kind === "rollback" || op.kind === "retire") && !recordCommitted(op, service.id)) {
    // A recreate rollback may have started its target on the live release's ports: stop it before the live one starts.
    if (recreating) await restartLive(ifFound(() => releaseByNumber(service.id, (JSON.parse(op.input) as { release: number }).release)));
    noteStep(op.id, "undone after restart: nothing had been recorded yet", "undone");
    finishOperation(op.id, "undone", "interrupted by a server restart before anything changed");
    log("ok", `${op.kind} #${op.id} interrupted before it changed anything`);
    return;
  }
  // A committed switch / rollback / retire, or a deploy already in preview: complete what SQLite recorded.
  await restartLive();
  await applyServiceRouting(service.id, specOf(service));
  noteStep(op.id, "completed after restart: routing re-applied as recorded", "done");
  finishOperation(op.id, "succeeded");
  log("ok", `${op.kind} #${op.id} interrupted by a restart was completed as recorded`, release?.number);
}
