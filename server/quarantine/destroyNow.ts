import "server-only";
import type { Actor } from "@/server/auth/actor";
import { AppError, conflict } from "@/server/errors";
import { operationStatuses } from "@/server/operations/operationLog";
import { destroyQuarantined, isBeingDestroyed } from "./destroyQuarantined";
import { logQuarantine, quarantineById, updateQuarantine } from "./quarantineRows";

/** 409 while the quarantine's own operation (out of traffic, replacement, rename) still runs. */
export function assertQuarantineSettled(operationId: number | null, what: string): void {
  if (!operationId) return;
  const op = operationStatuses([operationId])[0];
  if (op?.status === "running")
    throw conflict(`${what}: its quarantine (operation #${op.id}) is still in progress; wait for it to finish.`);
}

/**
 * Destroy now (operator, after a confirmation in the UI): the deadline becomes
 * now and the destroy runs at once. If the host does not answer, the timer
 * keeps retrying with backoff and the answer says so (503).
 */
export async function destroyNow(actor: Actor, id: number) {
  const q = quarantineById(id);
  if (q.status === "destroyed")
    throw conflict(
      `Quarantine #${id} (${q.originalName}) was already destroyed${q.destroyedAt ? ` at ${q.destroyedAt.toISOString()}` : ""}; its forensic bundle is kept.`,
    );
  if (q.status === "failed") throw conflict(`Quarantine #${id} (${q.originalName}) has ended: ${q.lastError ?? "failed"}.`);
  if (q.status === "destroying" || isBeingDestroyed(id))
    throw conflict(`Quarantine #${id} (${q.originalName}) is being destroyed right now.`);
  assertQuarantineSettled(q.operationId, `Quarantine #${id}`);
  const now = new Date();
  updateQuarantine(id, { deadline: now, nextAttemptAt: null });
  logQuarantine(
    actor,
    q,
    "destroy-now",
    "info",
    `destroy requested by ${actor.username}${q.deadline ? ` (deadline was ${q.deadline.toISOString()})` : " (self-destruct had been cancelled)"}`,
  );
  const result = await destroyQuarantined({ ...q, deadline: now }, actor.username);
  if (result.outcome === "retry")
    throw new AppError("UNAVAILABLE", `Could not destroy ${q.quarantinedName} on ${q.hostName} now: ${result.message}.`);
  if (result.outcome === "skipped") throw conflict(`Quarantine #${id} is being destroyed right now.`);
  return { quarantine: quarantineById(id), outcome: result.outcome, message: result.message };
}
