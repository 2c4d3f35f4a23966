import "server-only";
import type { Actor } from "@/server/auth/actor";
import { conflict, errorMessage } from "@/server/errors";
import type { ServerStats } from "@/server/haproxy/backendStats";
import { haproxySnapshot, onHaproxySample, startHaproxySampler, type HaproxySample } from "@/server/live/haproxySampler";
import { activeContainersOf, releaseWithStatus } from "@/server/releases/releaseRows";
import { serviceRowById, specOf } from "@/server/services/serviceRows";
import { stepElapsedMs, stepTimeLeftMs } from "./rolloutClock";
import { judgeGate, sideIncrement, type GateIncrement, type GateResult } from "./rolloutGate";
import { insertMeasurement, planOf, updateRollout, type RolloutRow } from "./rolloutRows";
import { abortToLive, freshRollout, shiftToStep, promoteCandidate } from "./rolloutTransitions";

/**
 * The in-process driver of a rollout: it evaluates the gate on every HAProxy
 * sample (the server's one sampler, server/live/haproxySampler.ts), stores
 * each measurement, aborts on a breach, and ends timed steps. Everything that
 * changes a rollout (the driver, the Continue / Pause / Abort / Promote
 * routes) runs through one queue per rollout, so they never interleave.
 */

/** Without a usable sample for this long, the gate cannot be evaluated: the rollout aborts. */
const GATE_STALE_MS = 10_000;
const TICK_MS = 250;

type Driver = {
  rolloutId: number;
  actor: Actor | null;
  queue: Promise<unknown>;
  increments: GateIncrement[];
  prev: { at: number; rows: readonly ServerStats[] } | null;
  /** When the last sample that had the service's backend arrived (driver start counts as one: a grace period). */
  lastSampleAt: number;
  lastResult: GateResult | null;
  wake: () => void;
};

const globalForRollouts = globalThis as unknown as { switchyardRollouts?: Map<number, Driver> };
const drivers = (globalForRollouts.switchyardRollouts ??= new Map());

const ended = (r: RolloutRow) => r.status === "aborted" || r.status === "promoted";

/** Runs `fn` after everything queued before it for this rollout; refuses when no driver runs it in this process. */
export function withRollout<T>(rolloutId: number, fn: (r: RolloutRow, lastResult: GateResult | null) => Promise<T> | T): Promise<T> {
  const d = drivers.get(rolloutId);
  if (!d) throw conflict(`rollout #${rolloutId} is not running in this server; it resumes at the next start or reconcile.`);
  return enqueue(d, () => {
    const r = freshRollout(rolloutId);
    if (ended(r)) throw conflict(`rollout #${rolloutId} has ended (${r.status}).`);
    return fn(r, d.lastResult);
  });
}

function enqueue<T>(d: Driver, fn: () => Promise<T> | T): Promise<T> {
  const run = d.queue.then(fn, fn);
  d.queue = run.then(
    () => d.wake(),
    () => d.wake(),
  );
  return run;
}

/** The servers of the candidate and of the live release, as named in HAProxy. */
function sideServers(r: RolloutRow) {
  const names = (releaseId: number | undefined) =>
    new Set(releaseId === undefined ? [] : activeContainersOf([releaseId]).map((c) => c.container.serverName));
  const live = r.liveReleaseId ?? releaseWithStatus(r.serviceId, "live")?.id;
  return { candidate: names(r.candidateReleaseId), live: names(live) };
}

function backendOf(r: RolloutRow): string | null {
  const service = serviceRowById(r.serviceId);
  return service ? (specOf(service).haproxy?.backend ?? null) : null;
}

async function onSample(d: Driver, sample: HaproxySample): Promise<void> {
  const r = freshRollout(d.rolloutId);
  if (ended(r)) return;
  const backend = backendOf(r);
  const rows = backend ? sample.backends.get(backend) : undefined;
  if (!rows) return;
  d.lastSampleAt = sample.at;
  const prev = d.prev;
  d.prev = { at: sample.at, rows };
  if (!prev) return;
  const plan = planOf(r);
  const servers = sideServers(r);
  const inc: GateIncrement = {
    at: sample.at,
    spanMs: sample.at - prev.at,
    candidate: sideIncrement(prev.rows, rows, servers.candidate),
    live: sideIncrement(prev.rows, rows, servers.live),
  };
  d.increments = [...d.increments.filter((i) => i.at > sample.at - plan.analysis.windowS * 1000), inc];
  const result = judgeGate(plan.analysis, d.increments, sample.at);
  d.lastResult = result;
  insertMeasurement({
    rolloutId: r.id,
    at: new Date(sample.at),
    stepIndex: r.stepIndex,
    targetPercent: plan.steps[r.stepIndex]?.weight ?? 0,
    windowS: result.windowS,
    candidateRequests: result.candidate.requests,
    candidate5xx: result.candidate.errors5xx,
    candidateRps: result.candidate.rps,
    candidateResponseMs: result.candidate.responseMs,
    liveRequests: result.live.requests,
    live5xx: result.live.errors5xx,
    liveRps: result.live.rps,
    liveResponseMs: result.live.responseMs,
    candidateSampleRequests: inc.candidate.requests,
    liveSampleRequests: inc.live.requests,
    verdict: result.verdict,
    detail: result.findings.join("; ") || null,
  });
  if (result.verdict === "breach") await abortToLive(r, `gate breached: ${result.findings.join("; ")}`, { actor: null, result });
}

/** Time-driven changes: a stale gate aborts; a timed step that is over advances if the gate passes, else pauses. */
async function onTick(d: Driver): Promise<void> {
  const r = freshRollout(d.rolloutId);
  if (ended(r)) return;
  const now = Date.now();
  if (now - d.lastSampleAt > GATE_STALE_MS) {
    const err = haproxySnapshot().error;
    const why = err ? `HAProxy: ${err.message}` : "no HAProxy sample of the service's backend";
    await abortToLive(r, `the gate cannot be evaluated: ${why} for ${Math.round((now - d.lastSampleAt) / 1000)} s`, { actor: null });
    return;
  }
  if (r.status !== "running") return;
  const plan = planOf(r);
  const step = plan.steps[r.stepIndex];
  if (!step || stepTimeLeftMs(step, r, now) !== 0) return;
  await stepOver(d, r, "its pause ended");
}

/**
 * A step is over (its pause ended, or Continue): the gate decides. Pass: the
 * next step, or after the last one the Switch. Inconclusive (or no result
 * yet): the rollout pauses and waits for an operator; it never promotes.
 */
export async function stepOver(d: Pick<Driver, "actor" | "lastResult">, r: RolloutRow, why: string, actor = d.actor): Promise<void> {
  const plan = planOf(r);
  const last = r.stepIndex + 1 >= plan.steps.length;
  const result = d.lastResult;
  if (!result || result.verdict !== "pass") {
    const reason = `inconclusive: ${result ? result.findings.join("; ") : "no gate measurement yet"}; ${last ? "not promoted" : "not advanced"} — Continue or Promote to go on, Abort to stop`;
    updateRollout(r.id, { status: "paused", reason, pausedElapsedMs: stepElapsedMs(r, Date.now()) });
    return;
  }
  if (last) await promoteCandidate(r, actor, `the last step passed the gate; ${why}`, result);
  else await shiftToStep(r, r.stepIndex + 1, actor, `step ${r.stepIndex + 1} passed the gate; ${why}`);
}

/** The driver's last gate result (for Continue at the last step). */
export function driverOf(rolloutId: number): Pick<Driver, "actor" | "lastResult"> | undefined {
  return drivers.get(rolloutId);
}

/** Drives a rollout until it ends; the caller tracks the promise (trackOperation). */
export async function driveRollout(rolloutId: number, actor: Actor | null): Promise<void> {
  if (drivers.has(rolloutId)) return;
  let wakeUp: (() => void) | null = null;
  const d: Driver = {
    rolloutId,
    actor,
    queue: Promise.resolve(),
    increments: [],
    prev: null,
    lastSampleAt: Date.now(),
    lastResult: null,
    wake: () => wakeUp?.(),
  };
  drivers.set(rolloutId, d);
  startHaproxySampler();
  const off = onHaproxySample((sample) => {
    enqueue(d, () => onSample(d, sample)).catch((err: unknown) => console.error(`[switchyard] rollout #${rolloutId} sample:`, err));
  });
  try {
    for (;;) {
      const r = freshRollout(rolloutId);
      if (ended(r)) return;
      await enqueue(d, () => onTick(d)).catch((err: unknown) =>
        // A step that cannot be applied (HAProxy refused the shift, the Switch failed to commit): stop safely.
        enqueue(d, async () => {
          const now = freshRollout(rolloutId);
          if (!ended(now)) await abortToLive(now, `step ${now.stepIndex + 1} failed: ${errorMessage(err)}`, { actor: null });
        }),
      );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, TICK_MS);
        wakeUp = () => (clearTimeout(timer), resolve());
      });
      wakeUp = null;
    }
  } finally {
    off();
    drivers.delete(rolloutId);
  }
}
