/** Pure: how long the current step of a rollout has left, from its recorded times (after a restart too). */
import type { RolloutStep } from "@/server/services/rolloutSpecInput";

type StepTimes = { stepStartedAt: Date; pausedElapsedMs: number | null };

/** Milliseconds of the step that have elapsed: frozen while paused, otherwise since the step started. */
export function stepElapsedMs(r: StepTimes, now: number): number {
  return r.pausedElapsedMs ?? Math.max(0, now - r.stepStartedAt.getTime());
}

/** Milliseconds left of a timed step (0 when it is over); null for a manual step, which waits for Continue. */
export function stepTimeLeftMs(step: RolloutStep, r: StepTimes, now: number): number | null {
  if ("manual" in step) return null;
  return Math.max(0, step.pauseS * 1000 - stepElapsedMs(r, now));
}

/** The step start that makes `elapsedMs` of it already elapsed at `now` (resuming a paused step). */
export function resumedStepStart(elapsedMs: number, now: number): Date {
  return new Date(now - elapsedMs);
}
