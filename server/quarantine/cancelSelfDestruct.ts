import "server-only";
import type { Actor } from "@/server/auth/actor";
import { conflict } from "@/server/errors";
import { ifFound } from "@/server/errors";
import { dockerForHost, hostRow } from "@/server/hosts/hostRegistry";
import { restoreNetworks } from "./isolateNetwork";
import { CancelSelfDestructInput } from "./quarantineInput";
import { cancelActiveDeadline, logQuarantine, quarantineById } from "./quarantineRows";

/**
 * Cancel self-destruct (admin): the container is kept with no deadline until
 * someone destroys it by hand. Needs a reason; the page flags it loudly.
 * A container cut off from its networks at quarantine is connected again.
 */
export async function cancelSelfDestruct(actor: Actor, id: number, raw: CancelSelfDestructInput) {
  const { reason } = CancelSelfDestructInput.parse(raw);
  const q = quarantineById(id);
  if (q.status !== "active")
    throw conflict(`Quarantine #${id} (${q.originalName}) is ${q.status}; only an active quarantine has a self-destruct to cancel.`);
  if (q.deadline === null)
    throw conflict(`Self-destruct of quarantine #${id} is already cancelled (by ${q.cancelledBy}: ${q.cancelReason}).`);
  const updated = cancelActiveDeadline(id, { cancelReason: reason, cancelledBy: actor.username, cancelledAt: new Date() });
  if (!updated) throw conflict(`Quarantine #${id} changed meanwhile (it may be being destroyed); reload and look again.`);
  logQuarantine(
    actor,
    updated,
    "cancel",
    "ok",
    `self-destruct CANCELLED: ${reason}. ${q.quarantinedName} on ${q.hostName} is kept with no deadline until destroyed by hand.`,
    {
      reason,
      before: { deadline: q.deadline.toISOString() },
      after: { deadline: null },
    },
  );
  const host = ifFound(() => hostRow(q.hostId));
  const networks = host ? await restoreNetworks(updated, dockerForHost(host), actor.username) : null;
  return { quarantine: updated, networks };
}
