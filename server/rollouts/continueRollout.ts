import "server-only";
import type { Actor } from "@/server/auth/actor";
import { noteStep } from "@/server/operations/operationLog";
import { resumedStepStart, stepTimeLeftMs } from "./rolloutClock";
import { activeRolloutOfService } from "./rolloutOf";
import { planOf, updateRollout } from "./rolloutRows";
import { stepOver, withRollout } from "./rolloutRunner";

/**
 * Continue: a timed step an operator paused with time left resumes its
 * clock; otherwise (a manual step, a step paused as inconclusive, a timed
 * step still counting) the step is over now and the gate decides as at the
 * end of a pause: the next step, the Switch after the last one, or, when
 * inconclusive, paused again (Promote overrides).
 */
export async function continueRollout(actor: Actor, serviceName: string): Promise<void> {
  const { id } = activeRolloutOfService(serviceName);
  await withRollout(id, async (r, lastResult) => {
    const step = planOf(r).steps[r.stepIndex];
    const now = Date.now();
    const left = step ? stepTimeLeftMs(step, r, now) : null;
    if (r.status === "paused" && r.pausedElapsedMs !== null && left !== null && left > 0) {
      updateRollout(r.id, {
        status: "running",
        reason: null,
        stepStartedAt: resumedStepStart(r.pausedElapsedMs, now),
        pausedElapsedMs: null,
      });
      noteStep(r.operationId, `continued by ${actor.username}: step ${r.stepIndex + 1}, ${Math.round(left / 1000)} s left`, "done");
      return;
    }
    await stepOver({ actor, lastResult }, r, `Continue by ${actor.username}`, actor);
  });
}
