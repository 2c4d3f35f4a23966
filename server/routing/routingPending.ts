import "server-only";

type RoutingPending = { since: number; reason: string };

const globalForPending = globalThis as unknown as { switchyardRoutingPending?: Map<string, RoutingPending> };
const pending = (globalForPending.switchyardRoutingPending ??= new Map());

/**
 * Reconcile (and a switch whose routing failed) says, per service, whether
 * HAProxy could be made to match SQLite: `reason` when not (kept with the time
 * it was first seen), null when it matches.
 */
export function noteRoutingState(service: string, reason: string | null, now = Date.now()): void {
  if (reason === null) pending.delete(service);
  else pending.set(service, { since: pending.get(service)?.since ?? now, reason });
}

/** Since when and why routing has not been applied for `service`; undefined when the last attempt worked. */
export function routingPendingOf(service: string): RoutingPending | undefined {
  return pending.get(service);
}
