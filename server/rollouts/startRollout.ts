import "server-only";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { conflict } from "@/server/errors";
import { beginOperation, finishOperation } from "@/server/operations/operationLog";
import { trackOperation } from "@/server/operations/operationTracker";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { releaseWithStatus } from "@/server/releases/releaseRows";
import { assertHaproxyReachable, withCurrentRouting } from "@/server/routing/applyServiceRouting";
import { serviceByName, specOf } from "@/server/services/serviceRows";
import { insertRollout } from "./rolloutRows";
import { driveRollout } from "./rolloutRunner";
import { abortToLive, freshRollout, shiftToStep } from "./rolloutTransitions";

/**
 * Starts the spec's rollout on the candidate: a recorded operation (one per
 * service at a time, so it holds the service until it ends) whose first step
 * shifts the candidate to the first step's share. Returns at once; the steps
 * run server-side (rolloutRunner.ts).
 */
export async function startRollout(actor: Actor | null, serviceName: string) {
  const service = serviceByName(serviceName);
  const spec = specOf(service);
  if (!spec.rollout)
    throw conflict(`${serviceName} has no rollout in its spec: add rollout.steps (Edit spec → Rollout) or use Switch traffic.`);
  const candidate = releaseWithStatus(service.id, "candidate");
  if (!candidate) throw conflict(`${serviceName} has no healthy candidate to roll out; deploy one first.`);
  const live = releaseWithStatus(service.id, "live");
  if (!live) throw conflict(`${serviceName} has nothing live to compare the candidate with; the first release goes live by itself.`);
  await assertHaproxyReachable(withCurrentRouting(service.id, spec));
  const plan = spec.rollout;
  const op = beginOperation(service.id, service.name, "rollout", actor, { release: candidate.number, steps: plan.steps.length });
  const now = new Date();
  const rollout = db().transaction((tx) =>
    insertRollout(
      {
        operationId: op.id,
        serviceId: service.id,
        candidateReleaseId: candidate.id,
        liveReleaseId: live.id,
        plan: JSON.stringify(plan),
        status: "running",
        stepIndex: 0,
        stepStartedAt: now,
        startedBy: actor?.username ?? "system",
        startedAt: now,
      },
      tx,
    ),
  );
  recordEvent({
    ...actorFields(actor),
    action: "rollout.start",
    outcome: "info",
    serviceName: service.name,
    releaseNumber: candidate.number,
    message: `rollout #${rollout.id} of release ${candidate.number}: ${plan.steps.map((s) => `${s.weight} %${"manual" in s ? " (manual)" : ` ${s.pauseS} s`}`).join(" → ")}`,
    detail: { rollout: rollout.id, plan },
  });
  const run = (async () => {
    try {
      await shiftToStep(rollout, 0, actor, "start");
    } catch (err) {
      await abortToLive(freshRollout(rollout.id), `step 1 could not be applied: ${err instanceof Error ? err.message : String(err)}`, {
        actor,
      });
      return;
    }
    await driveRollout(rollout.id, actor);
  })();
  const done = trackOperation(
    op.id,
    run.catch((err: unknown) => {
      finishOperation(op.id, "failed", String(err));
      throw err;
    }),
  );
  return { operationId: op.id, rolloutId: rollout.id, done };
}
