/**
 * Pure rules of a quarantine's timer: lifetime and maximum, extensions,
 * the warning before the deadline, the retry backoff and "overdue". Times are
 * epoch milliseconds, durations seconds. No server imports: unit-tested.
 */
import { EXTENSIONS_BEFORE_ADVICE, formatSeconds } from "./constants";

export { formatSeconds };

export type Limits = { maxLifetimeS: number; warnLeadS: number };

/** Why a lifetime cannot be accepted, or null. */
export function lifetimeProblem(lifetimeS: number, limits: Limits): string | null {
  if (!Number.isInteger(lifetimeS) || lifetimeS <= 0) return `lifetimeS: must be a whole number of seconds above 0, got ${lifetimeS}`;
  if (lifetimeS > limits.maxLifetimeS) {
    return `lifetimeS: ${formatSeconds(lifetimeS)} is past the maximum lifetime of ${formatSeconds(limits.maxLifetimeS)} (SWITCHYARD_QUARANTINE_MAX_HOURS)`;
  }
  return null;
}

/** The latest deadline a quarantine may ever have. */
export function latestDeadline(quarantinedAt: number, limits: Limits): number {
  return quarantinedAt + limits.maxLifetimeS * 1000;
}

export type ExtensionCheck = { ok: true; newDeadline: number } | { ok: false; problem: string };

/**
 * An extension adds to the current deadline (or to now, when the deadline has
 * already passed and the container is still there: an unreachable host), and
 * never reaches past the maximum lifetime counted from the quarantine.
 */
export function extendDeadline(
  q: { quarantinedAt: number; deadline: number | null },
  addS: number,
  now: number,
  limits: Limits,
): ExtensionCheck {
  if (!Number.isInteger(addS) || addS <= 0) return { ok: false, problem: `addS: must be a whole number of seconds above 0, got ${addS}` };
  if (q.deadline === null) return { ok: false, problem: "Self-destruct is cancelled: there is no deadline to extend." };
  const newDeadline = Math.max(q.deadline, now) + addS * 1000;
  const latest = latestDeadline(q.quarantinedAt, limits);
  if (newDeadline > latest) {
    const room = Math.max(0, Math.floor((latest - Math.max(q.deadline, now)) / 1000));
    return {
      ok: false,
      problem: `Extending by ${formatSeconds(addS)} would pass the maximum lifetime of ${formatSeconds(limits.maxLifetimeS)}; at most ${formatSeconds(room)} more is allowed.`,
    };
  }
  return { ok: true, newDeadline };
}

/** Seconds that may still be added before the maximum lifetime. */
export function extensionRoomS(q: { quarantinedAt: number; deadline: number | null }, now: number, limits: Limits): number {
  if (q.deadline === null) return 0;
  return Math.max(0, Math.floor((latestDeadline(q.quarantinedAt, limits) - Math.max(q.deadline, now)) / 1000));
}

/**
 * When the warning is due: the configured lead before the deadline, but never
 * before the timer was armed (a lifetime shorter than the lead warns at once).
 */
export function warningAt(deadline: number, armedAt: number, limits: Limits): number {
  return Math.max(armedAt, deadline - limits.warnLeadS * 1000);
}

/** Retry delay after the n-th failed destroy attempt (1-based): 5 s, 10 s, 20 s … capped at 5 min. */
export function retryDelayS(attempt: number): number {
  const n = Math.max(1, Math.floor(attempt));
  return Math.min(300, 5 * 2 ** Math.min(n - 1, 16));
}

/** Past its deadline and still not destroyed: a failed attempt, or more than `graceS` late. */
export function isOverdue(q: { status: string; deadline: number | null; attempts: number }, now: number, graceS = 15): boolean {
  if (q.deadline === null || (q.status !== "active" && q.status !== "destroying")) return false;
  if (now < q.deadline) return false;
  return q.attempts > 0 || now > q.deadline + graceS * 1000;
}

/** After the third extension the page says the debug tools belong in the image. */
export function needsImageAdvice(extensions: number): boolean {
  return extensions >= EXTENSIONS_BEFORE_ADVICE;
}

/** The name on the host: recognisable as quarantined (labels cannot change on a running container). */
export function quarantinedName(originalName: string, quarantineId: number): string {
  return `${originalName}-quarantined-${quarantineId}`;
}

/** The replacement's index on its host: after every container the release ever had there. */
export function nextContainerIndex(existingOnHost: number): number {
  return existingOnHost + 1;
}

/**
 * Which comes first. Normally the container leaves traffic at once; when it
 * is the last container of its release (nothing else would serve), the
 * replacement is started and health-gated first, so no request fails.
 */
export function quarantineOrder(otherContainersOfRelease: number): "out-first" | "replacement-first" {
  return otherContainersOfRelease > 0 ? "out-first" : "replacement-first";
}

/**
 * Why a release container must not be quarantined, or null: a recreate
 * service with volumes has one writer per volume (quarantine starts a
 * replacement beside the container), and a container that is not running has
 * nothing to take out of traffic.
 */
export function quarantineRefusal(
  c: { name: string; host: string; running: boolean },
  spec: { strategy?: string; volumes: readonly unknown[] },
): string | null {
  if (spec.strategy === "recreate" && spec.volumes.length > 0)
    return `${c.name} on ${c.host} cannot be quarantined: a recreate service has one writer per volume; quarantine would start a replacement beside it — Rollback or Redeploy instead.`;
  if (!c.running) return `${c.name} on ${c.host} is not running; only a running container can be quarantined.`;
  return null;
}
