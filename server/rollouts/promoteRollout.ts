import "server-only";
import type { Actor } from "@/server/auth/actor";
import { activeRolloutOfService } from "./rolloutOf";
import { withRollout } from "./rolloutRunner";
import { promoteCandidate } from "./rolloutTransitions";

/** Promote by an operator: the Switch now, whatever step the rollout is at and whatever the gate says (recorded as the operator's decision). */
export async function promoteRollout(actor: Actor, serviceName: string): Promise<void> {
  const { id } = activeRolloutOfService(serviceName);
  await withRollout(id, (r, lastResult) =>
    promoteCandidate(r, actor, `promoted by ${actor.username} at step ${r.stepIndex + 1}`, lastResult ?? undefined),
  );
}
