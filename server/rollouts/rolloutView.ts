import "server-only";
import { releaseById } from "@/server/releases/releaseRows";
import { serviceByName } from "@/server/services/serviceRows";
import { stepTimeLeftMs } from "./rolloutClock";
import { latestRolloutOf, measurementsOf, planOf, type RolloutMeasurementRow } from "./rolloutRows";
import { driverOf } from "./rolloutRunner";

/** Samples the "measured share" is taken over (2 s each): the last ~10 s. */
const SHARE_SAMPLES = 5;

function measurementView(m: RolloutMeasurementRow) {
  return {
    at: m.at.getTime(),
    step: m.stepIndex + 1,
    targetPercent: m.targetPercent,
    windowS: m.windowS,
    verdict: m.verdict,
    detail: m.detail,
    candidate: {
      requests: m.candidateRequests,
      errors5xx: m.candidate5xx,
      rps: m.candidateRps,
      ratio5xx: m.candidateRequests > 0 ? m.candidate5xx / m.candidateRequests : null,
      responseMs: m.candidateResponseMs,
    },
    live: {
      requests: m.liveRequests,
      errors5xx: m.live5xx,
      rps: m.liveRps,
      ratio5xx: m.liveRequests > 0 ? m.live5xx / m.liveRequests : null,
      responseMs: m.liveResponseMs,
    },
    sampleRequests: { candidate: m.candidateSampleRequests, live: m.liveSampleRequests },
  };
}

/** GET /api/services/{name}/rollout: the service's latest rollout with its plan, clock, shares and gate measurements; null when it never had one. */
export function rolloutView(serviceName: string, limit = 120) {
  const service = serviceByName(serviceName);
  const r = latestRolloutOf(service.id);
  if (!r) return { rollout: null };
  const plan = planOf(r);
  const step = plan.steps[r.stepIndex];
  const measurements = measurementsOf(r.id, limit).map(measurementView);
  const recent = measurements.slice(-SHARE_SAMPLES);
  const cand = recent.reduce((a, m) => a + m.sampleRequests.candidate, 0);
  const live = recent.reduce((a, m) => a + m.sampleRequests.live, 0);
  const active = r.status === "running" || r.status === "paused";
  return {
    rollout: {
      id: r.id,
      operationId: r.operationId,
      status: r.status,
      reason: r.reason,
      candidateRelease: releaseById(r.candidateReleaseId)?.number ?? null,
      liveRelease: r.liveReleaseId ? (releaseById(r.liveReleaseId)?.number ?? null) : null,
      steps: plan.steps,
      analysis: plan.analysis,
      stepIndex: r.stepIndex,
      stepStartedAt: r.stepStartedAt.getTime(),
      timeLeftMs: active && step ? stepTimeLeftMs(step, r, Date.now()) : null,
      /** Whether this server process drives it (false right after a restart, until it resumes). */
      driven: Boolean(driverOf(r.id)),
      startedBy: r.startedBy,
      startedAt: r.startedAt.getTime(),
      finishedAt: r.finishedAt?.getTime() ?? null,
      shares: {
        targetPercent: active ? (step?.weight ?? 0) : null,
        /** The candidate's share of the requests HAProxy counted over the last samples; null with no traffic. */
        measuredPercent: cand + live > 0 ? (cand / (cand + live)) * 100 : null,
        requests: cand + live,
      },
    },
    measurements,
  };
}
export type RolloutView = ReturnType<typeof rolloutView>;
export type RolloutMeasurementView = ReturnType<typeof measurementView>;
