import "server-only";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { conflict, errorMessage, invalid } from "@/server/errors";
import { assertNoRunningOperation, beginOperation, finishOperation, runStep, setOperationRelease } from "@/server/operations/operationLog";
import { trackAwaited } from "@/server/operations/operationTracker";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { applyServiceRouting, assertHaproxyReachable, withCurrentRouting } from "@/server/routing/applyServiceRouting";
import { serviceByName, specOf } from "@/server/services/serviceRows";
import { currentShares } from "./currentShares";
import { releaseWithStatus, type ReleaseRow } from "./releaseRows";
import { setCandidateShare } from "./shiftRows";
import { assertSmokePasses } from "./smokeTestCandidate";
import type { ShiftOutcome } from "./shiftView";

export type ShiftOptions = {
  /** Run as a step of this (already running) operation, e.g. a rollout step, instead of starting a "shift" operation. */
  operationId?: number;
  /** Why, for the release log ("rollout step 2", "analysis breach: 5xx 21 %"). */
  reason?: string;
  /** The share before this change, when the caller recorded the new one already (an abort records 0 % first). */
  previousPercent?: number;
};

/**
 * Gives the candidate `candidatePercent` % of the main backend's traffic (0 =
 * back to preview only, 100 = all of it while still a candidate). The share is
 * recorded on the candidate release (releases.traffic_share_percent) first,
 * then HAProxy is made to match with runtime-API weight changes only
 * (applyServiceRouting → desiredMainBackend → shareWeights), so a reconcile,
 * a quarantine or a restart re-applies the same weights; Switch then takes the
 * candidate from its share to 100 %.
 */
export async function shiftTraffic(
  serviceName: string,
  candidatePercent: number,
  actor: Actor | null,
  opts: ShiftOptions = {},
): Promise<ShiftOutcome> {
  if (!Number.isInteger(candidatePercent) || candidatePercent < 0 || candidatePercent > 100) {
    throw invalid(`share ${candidatePercent}: the candidate's share is a whole percent, 0..100`);
  }
  const service = serviceByName(serviceName);
  if (opts.operationId === undefined) assertNoRunningOperation(service.id, service.name);
  const candidate = releaseWithStatus(service.id, "candidate");
  if (!candidate) throw conflict(`${serviceName} has no healthy candidate to shift traffic to; deploy one first.`);
  const spec = withCurrentRouting(service.id, specOf(candidate));
  if (!spec.haproxy) throw conflict(`${serviceName} has no HAProxy routing: there is no traffic to shift.`);
  await assertHaproxyReachable(spec);
  // More traffic to the candidate needs its smoke checks to pass; less (an abort, a step back) never waits for them.
  if (candidatePercent > candidate.trafficSharePercent)
    await assertSmokePasses(actor, service, candidate, `Shift to ${candidatePercent} %`);

  const input = { release: candidate.number, percent: candidatePercent, ...(opts.reason && { reason: opts.reason }) };
  const opId = opts.operationId ?? beginOperation(service.id, service.name, "shift", actor, input).id;
  if (opts.operationId === undefined) setOperationRelease(opId, candidate.id);
  const run = runShift(opId, actor, service, candidate, candidatePercent, opts);
  return opts.operationId === undefined ? trackAwaited(opId, run) : run;
}

async function runShift(
  opId: number,
  actor: Actor | null,
  service: { id: number; name: string },
  candidate: ReleaseRow,
  percent: number,
  opts: ShiftOptions,
): Promise<ShiftOutcome> {
  const started = Date.now();
  const ownOperation = opts.operationId === undefined;
  const previousPercent = opts.previousPercent ?? candidate.trafficSharePercent;
  try {
    await runStep(opId, `record: release ${candidate.number} at ${percent} %`, () =>
      db().transaction(
        (tx) => {
          if (!setCandidateShare(tx, candidate.id, percent)) throw conflict(`Release ${candidate.number} is no longer the candidate.`);
        },
        { behavior: "immediate" },
      ),
    );
    const spec = withCurrentRouting(service.id, specOf(candidate));
    await runStep(
      opId,
      "apply weights in HAProxy",
      () => applyServiceRouting(service.id, spec),
      (ran) => (ran.length ? ran.join("\n") : "weights already matched"),
    );
    const shares = await currentShares(service.id);
    if (!shares) throw conflict(`Release ${candidate.number} is no longer the candidate of ${service.name}.`);
    const outcome: ShiftOutcome = {
      operationId: opId,
      service: service.name,
      ...shares,
      targetPercent: percent,
      previousPercent,
      ms: Date.now() - started,
    };
    if (ownOperation) finishOperation(opId, "succeeded");
    recordEvent({
      ...actorFields(actor),
      action: "release.shift",
      outcome: "ok",
      serviceName: service.name,
      releaseNumber: candidate.number,
      message: `release ${candidate.number} at ${percent} % of the traffic (effective ${round2(outcome.effectivePercent)} %, was ${previousPercent} %)${opts.reason ? `: ${opts.reason}` : ""}`,
      detail: {
        before: { percent: previousPercent },
        after: { percent, effectivePercent: outcome.effectivePercent },
        weights: Object.fromEntries(outcome.servers.map((s) => [s.name, s.weight])),
        leftOut: outcome.leftOut,
        ms: outcome.ms,
      },
    });
    return outcome;
  } catch (err) {
    // A raise that failed is undone (the record goes back, so no reconcile applies it later); a lowering stays
    // recorded: less traffic to the candidate is the safe side, and reconcile keeps trying to apply it.
    let undone = "";
    if (percent > previousPercent) {
      db().transaction((tx) => void setCandidateShare(tx, candidate.id, previousPercent), { behavior: "immediate" });
      await applyServiceRouting(service.id, withCurrentRouting(service.id, specOf(candidate))).catch(() => undefined);
      undone = `; back to ${previousPercent} %`;
    }
    if (ownOperation) finishOperation(opId, "failed", `${errorMessage(err)}${undone}`);
    recordEvent({
      ...actorFields(actor),
      action: "release.shift",
      outcome: "failed",
      serviceName: service.name,
      releaseNumber: candidate.number,
      message: `shift to ${percent} % failed: ${errorMessage(err)}${undone}`,
    });
    throw err;
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;
