import "server-only";
import type { Actor } from "@/server/auth/actor";
import { activeRolloutOfService } from "./rolloutOf";
import { withRollout } from "./rolloutRunner";
import { abortToLive } from "./rolloutTransitions";

/** Abort by an operator: the candidate's share goes back to 0 and the live release serves all traffic; the candidate stays deployed. */
export async function abortRollout(actor: Actor, serviceName: string): Promise<void> {
  const { id } = activeRolloutOfService(serviceName);
  await withRollout(id, (r, lastResult) =>
    abortToLive(r, `aborted by ${actor.username}`, { actor, byOperator: true, ...(lastResult && { result: lastResult }) }),
  );
}
