import "server-only";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { conflict, errorMessage } from "@/server/errors";
import { finishOperation, noteStep, runStep } from "@/server/operations/operationLog";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { releaseById } from "@/server/releases/releaseRows";
import { setCandidateShare } from "@/server/releases/shiftRows";
import { shiftTraffic } from "@/server/releases/shiftTraffic";
import { checkSwitchTarget } from "@/server/releases/checkSwitchTarget";
import { commitSwitch, routeAfterSwitch } from "@/server/releases/switchTraffic";
import { withCurrentRouting } from "@/server/routing/applyServiceRouting";
import { serviceRowById, specOf } from "@/server/services/serviceRows";
import { stepElapsedMs } from "./rolloutClock";
import type { GateResult } from "./rolloutGate";
import { planOf, rolloutById, updateRollout, type RolloutRow } from "./rolloutRows";

/**
 * The rollout's state changes that touch traffic: go to a step (shift the
 * candidate's share), abort (share back to 0), promote (the Switch). Each is
 * written to the rollout row and the operation's steps; callers serialize
 * them per rollout (rolloutRunner.ts).
 */

function serviceOf(r: RolloutRow) {
  const service = serviceRowById(r.serviceId);
  if (!service) throw conflict(`rollout #${r.id}: its service no longer exists`);
  return service;
}

function candidateNumber(r: RolloutRow): number | null {
  return releaseById(r.candidateReleaseId)?.number ?? null;
}

/** Shifts the candidate to step `index`'s share and starts that step's clock (`keepClock`: the recorded one goes on, after a restart). */
export async function shiftToStep(
  r: RolloutRow,
  index: number,
  actor: Actor | null,
  why: string,
  opts: { keepClock?: boolean } = {},
): Promise<void> {
  const plan = planOf(r);
  const step = plan.steps[index];
  if (!step) throw conflict(`rollout #${r.id} has no step ${index + 1}`);
  const service = serviceOf(r);
  await runStep(r.operationId, `step ${index + 1}/${plan.steps.length}: candidate ${step.weight} % (${why})`, () =>
    shiftTraffic(service.name, step.weight, actor, { operationId: r.operationId, reason: `rollout #${r.id} step ${index + 1}` }),
  );
  if (!opts.keepClock)
    updateRollout(r.id, { stepIndex: index, stepStartedAt: new Date(), pausedElapsedMs: null, status: "running", reason: null });
}

/** What the release log keeps of a gate result: the measured values per side and the verdict. */
function measured(result: GateResult) {
  const side = (s: GateResult["candidate"]) => ({
    requests: s.requests,
    errors5xx: s.errors5xx,
    rps: Math.round(s.rps * 10) / 10,
    ratio5xx: s.ratio5xx,
    responseMs: s.responseMs === null ? null : Math.round(s.responseMs),
  });
  return {
    verdict: result.verdict,
    windowS: result.windowS,
    candidate: side(result.candidate),
    live: side(result.live),
    findings: result.findings,
  };
}

/**
 * Aborts: recorded first (a crash right after still ends aborted, see
 * resumeRollout.ts), then the candidate's share goes to 0 and the live side
 * takes all traffic. The release log gets the measured values and the limit
 * breached. `byOperator`: an operator's Abort (the operation is "undone"),
 * otherwise the gate's (the operation "failed").
 */
export async function abortToLive(
  r: RolloutRow,
  reason: string,
  opts: { actor: Actor | null; result?: GateResult; byOperator?: boolean },
): Promise<void> {
  const plan = planOf(r);
  const step = plan.steps[r.stepIndex];
  // Recorded first, the share too: if HAProxy cannot take the change now, the reconcile applies 0 % when it is back.
  const previousPercent = releaseById(r.candidateReleaseId)?.trafficSharePercent;
  db().transaction((tx) => {
    if (r.status !== "aborted") updateRollout(r.id, { status: "aborted", reason, finishedAt: new Date(), pausedElapsedMs: null }, tx);
    setCandidateShare(tx, r.candidateReleaseId, 0);
  });
  const service = serviceOf(r);
  let shiftError: string | null = null;
  await runStep(r.operationId, "abort: candidate share back to 0 %, live serves all", () =>
    shiftTraffic(service.name, 0, opts.actor, {
      operationId: r.operationId,
      reason: `rollout #${r.id} aborted: ${reason}`,
      ...(previousPercent !== undefined && { previousPercent }),
    }),
  ).catch((err: unknown) => {
    shiftError = errorMessage(err);
  });
  finishOperation(
    r.operationId,
    opts.byOperator ? "undone" : "failed",
    shiftError ? `${reason}; shifting back failed: ${shiftError}` : reason,
  );
  recordEvent({
    ...actorFields(opts.actor),
    action: "rollout.abort",
    outcome: opts.byOperator && !shiftError ? "ok" : "failed",
    serviceName: service.name,
    releaseNumber: candidateNumber(r),
    message: `rollout #${r.id} aborted at step ${r.stepIndex + 1} (${step?.weight ?? "?"} %): ${reason}${shiftError ? `; shifting back failed: ${shiftError}` : ""}`,
    detail: {
      rollout: r.id,
      step: r.stepIndex + 1,
      targetPercent: step?.weight ?? null,
      limits: plan.analysis,
      ...(opts.result && { measured: measured(opts.result) }),
    },
  });
}

/** Promotes: the existing Switch (candidate → live, live → standby) inside the rollout's operation. */
export async function promoteCandidate(r: RolloutRow, actor: Actor | null, why: string, result?: GateResult): Promise<void> {
  const service = serviceOf(r);
  const candidate = releaseById(r.candidateReleaseId);
  if (!candidate) throw conflict(`rollout #${r.id}: its candidate release is gone`);
  const spec = withCurrentRouting(service.id, specOf(candidate));
  if (candidate.status !== "live") {
    // The Switch's own rule first (servers on unreachable hosts count as down): refused, the rollout pauses with the reason.
    try {
      await checkSwitchTarget(spec, candidate);
    } catch (err) {
      updateRollout(r.id, {
        status: "paused",
        reason: `not promoted: ${errorMessage(err)} — Promote again once it can, or Abort`,
        pausedElapsedMs: stepElapsedMs(r, Date.now()),
      });
      throw err;
    }
  }
  const sw =
    candidate.status === "live"
      ? null
      : await runStep(r.operationId, `promote: release ${candidate.number} live (${why})`, () => commitSwitch(service.id, candidate));
  updateRollout(r.id, { status: "promoted", reason: why, finishedAt: new Date(), pausedElapsedMs: null });
  if (sw)
    await runStep(r.operationId, "apply routing in HAProxy (new servers up, old ones drained)", () =>
      routeAfterSwitch(service.id, spec, sw),
    );
  else noteStep(r.operationId, "promote: already live as recorded", "done");
  finishOperation(r.operationId, "succeeded");
  recordEvent({
    ...actorFields(actor),
    action: "rollout.promote",
    outcome: "ok",
    serviceName: service.name,
    releaseNumber: candidate.number,
    message: `rollout #${r.id}: release ${candidate.number} live (${why})${sw?.previousLive ? `, release ${sw.previousLive.number} on standby` : ""}`,
    detail: { rollout: r.id, ...(result && { measured: measured(result) }) },
  });
}

/** Re-reads the row (state may have changed while a caller waited its turn). */
export function freshRollout(id: number): RolloutRow {
  const r = rolloutById(id);
  if (!r) throw conflict(`rollout #${id} no longer exists`);
  return r;
}
