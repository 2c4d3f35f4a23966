import "server-only";
import { errorMessage } from "@/server/errors";
import { finishOperation, noteStep, type OperationRow } from "@/server/operations/operationLog";
import { trackOperation } from "@/server/operations/operationTracker";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { sampleHaproxy } from "@/server/live/haproxySampler";
import { releaseById } from "@/server/releases/releaseRows";
import { serviceRowById, specOf } from "@/server/services/serviceRows";
import { stepTimeLeftMs } from "./rolloutClock";
import { planOf, rolloutOfOperation } from "./rolloutRows";
import { driveRollout } from "./rolloutRunner";
import { abortToLive, promoteCandidate, shiftToStep } from "./rolloutTransitions";

/**
 * After a restart, a rollout operation still marked running: an abort or a
 * promotion that was recorded is completed; otherwise the gate must be
 * evaluable right now (one fresh HAProxy sample with the service's backend),
 * or the rollout aborts. If it is, the rollout goes on at the recorded step
 * (its share re-applied, the time left computed from the recorded step
 * start, so the downtime counts as elapsed).
 */
export async function resumeRollout(op: OperationRow): Promise<void> {
  const r = rolloutOfOperation(op.id);
  const service = r && serviceRowById(r.serviceId);
  if (!r || !service) {
    finishOperation(op.id, "failed", "interrupted by a server restart before its rollout was recorded");
    return;
  }
  const log = (message: string) =>
    recordEvent({ actor: "system", action: "recovery.rollout", outcome: "info", serviceName: service.name, message });
  if (r.status === "aborted") {
    await abortToLive(r, r.reason ?? "aborted", { actor: null });
    log(`rollout #${r.id} had been aborted before the restart; its candidate share is back to 0`);
    return;
  }
  const candidate = releaseById(r.candidateReleaseId);
  if (r.status === "promoted" || candidate?.status === "live") {
    await promoteCandidate(r, null, r.reason ?? "promoted before the restart");
    log(`rollout #${r.id} had promoted release ${candidate?.number} before the restart; completed as recorded`);
    return;
  }
  const backend = specOf(service).haproxy?.backend;
  const snapshot = await sampleHaproxy();
  const unavailable = snapshot.error
    ? `HAProxy: ${snapshot.error.message}`
    : !backend || !snapshot.sample?.backends.has(backend)
      ? `HAProxy has no backend ${backend ?? "(none in the spec)"}`
      : null;
  if (unavailable || candidate?.status !== "candidate") {
    const why = unavailable ?? `release ${candidate?.number ?? "?"} is no longer a candidate (${candidate?.status ?? "gone"})`;
    await abortToLive(r, `interrupted by a server restart and the gate cannot be evaluated: ${why}`, { actor: null });
    log(`rollout #${r.id} aborted after the restart: ${why}`);
    return;
  }
  const plan = planOf(r);
  const step = plan.steps[r.stepIndex]!;
  const left = stepTimeLeftMs(step, r, Date.now());
  let resumed!: () => void;
  const ready = new Promise<void>((resolve) => (resumed = resolve));
  const run = async () => {
    try {
      // Re-apply the recorded step's share (a crash in the middle of a shift leaves HAProxy anywhere between two steps).
      await shiftToStep(r, r.stepIndex, null, "resumed after a restart", { keepClock: true });
    } catch (err) {
      await abortToLive(r, `could not resume after a restart: ${errorMessage(err)}`, { actor: null });
      log(`rollout #${r.id} aborted after the restart: ${errorMessage(err)}`);
      resumed();
      return;
    }
    noteStep(
      op.id,
      `resumed after a restart at step ${r.stepIndex + 1}/${plan.steps.length} (${step.weight} %)${left === null ? ", waiting for Continue" : `, ${Math.round(left / 1000)} s left`}`,
      "done",
    );
    log(`rollout #${r.id} resumed at step ${r.stepIndex + 1} (${step.weight} %)`);
    resumed();
    await driveRollout(r.id, null);
  };
  // Tracked at once (a concurrent resumeOperations skips it); returns once the step is re-applied, the rollout runs on.
  void trackOperation(op.id, run());
  await ready;
}
