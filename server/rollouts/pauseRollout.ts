import "server-only";
import type { Actor } from "@/server/auth/actor";
import { conflict } from "@/server/errors";
import { noteStep } from "@/server/operations/operationLog";
import { stepElapsedMs } from "./rolloutClock";
import { activeRolloutOfService } from "./rolloutOf";
import { updateRollout } from "./rolloutRows";
import { withRollout } from "./rolloutRunner";

/** Pause: the step's clock stops (its share stays); the gate keeps watching and still aborts on a breach. */
export async function pauseRollout(actor: Actor, serviceName: string): Promise<void> {
  const { id } = activeRolloutOfService(serviceName);
  await withRollout(id, (r) => {
    if (r.status === "paused") throw conflict(`rollout #${r.id} is already paused: ${r.reason ?? ""}`);
    updateRollout(r.id, { status: "paused", reason: `paused by ${actor.username}`, pausedElapsedMs: stepElapsedMs(r, Date.now()) });
    noteStep(r.operationId, `paused by ${actor.username} at step ${r.stepIndex + 1}`, "done");
  });
}
