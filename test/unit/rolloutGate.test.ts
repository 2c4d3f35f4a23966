import { describe, expect, it } from "vitest";
import { judgeGate, sideIncrement, type GateIncrement, type SideIncrement } from "@/server/rollouts/rolloutGate";
import { resumedStepStart, stepElapsedMs, stepTimeLeftMs } from "@/server/rollouts/rolloutClock";
import { RolloutAnalysis } from "@/server/services/rolloutSpecInput";
import { ServiceSpec } from "@/server/services/serviceSpecInput";

const base = { name: "web", image: "127.0.0.1:5000/demo-web", placement: [{ host: "alpha", replicas: 1 }], haproxy: { backend: "web" } };
const issues = (input: unknown) => {
  const r = ServiceSpec.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("spec rollout", () => {
  it("takes timed and manual steps and fills the analysis defaults", () => {
    const spec = ServiceSpec.parse({
      ...base,
      rollout: {
        steps: [
          { weight: 10, pauseS: 60 },
          { weight: 50, manual: true },
          { weight: 100, pauseS: 30 },
        ],
      },
    });
    expect(spec.rollout?.steps).toHaveLength(3);
    expect(spec.rollout?.analysis).toEqual({ max5xxRatio: 0.01, maxResponseMs: 1000, windowS: 30, minRequests: 100 });
  });

  it("says what is wrong with a step, an analysis field, and a plan that needs routing", () => {
    expect(issues({ ...base, rollout: { steps: [{ weight: 10 }] } })).toEqual([
      'rollout.steps.0: a rollout step is { "weight": 10, "pauseS": 60 } or { "weight": 50, "manual": true }',
    ]);
    expect(issues({ ...base, rollout: { steps: [{ weight: 0, pauseS: 5 }] } })).toEqual([
      "rollout.steps.0.weight: step weight: at least 1 (%)",
    ]);
    expect(
      issues({
        ...base,
        rollout: {
          steps: [
            { weight: 50, pauseS: 5 },
            { weight: 10, pauseS: 5 },
          ],
        },
      }),
    ).toEqual(["rollout.steps.1.weight: step 2: weight must grow (step 1 has 50 %)"]);
    expect(issues({ ...base, rollout: { steps: [{ weight: 10, pauseS: 5 }], analysis: { max5xxRatio: 5 } } })).toEqual([
      "rollout.analysis.max5xxRatio: max5xxRatio: 0-1 (0.01 = 1 %)",
    ]);
    expect(issues({ ...base, rollout: { steps: [{ weight: 10, pauseS: 5 }], analysis: { windowS: 2 } } })).toEqual([
      "rollout.analysis.windowS: windowS: at least 4 s (two HAProxy samples)",
    ]);
    const { haproxy: _none, ...unrouted } = base;
    expect(issues({ ...unrouted, rollout: { steps: [{ weight: 10, pauseS: 5 }] } })).toEqual([
      "rollout: a rollout shifts traffic: give the service an HAProxy backend",
    ]);
    expect(issues({ ...base, strategy: "recreate", rollout: { steps: [{ weight: 10, pauseS: 5 }] } })).toEqual([
      "rollout: a rollout runs old and new side by side: use strategy blue-green",
    ]);
  });
});

const counters = (server: string, reqTotal: number, hrsp5xx = 0, rtimeMs = 0) => ({ server, reqTotal, hrsp5xx, rtimeMs });
const side = (requests: number, errors5xx = 0, responseMs = 10): SideIncrement => ({
  requests,
  errors5xx,
  responseMsTimesRequests: responseMs * requests,
  timedRequests: requests,
});
const inc = (at: number, candidate: SideIncrement, live: SideIncrement): GateIncrement => ({ at, spanMs: 2000, candidate, live });
const analysis = RolloutAnalysis.parse({ max5xxRatio: 0.05, maxResponseMs: 200, windowS: 10, minRequests: 100 });

describe("gate increments", () => {
  it("sums one side's counter deltas and weights response time by requests", () => {
    const prev = [counters("c1", 100, 1), counters("c2", 50), counters("l1", 1000)];
    const next = [counters("c1", 160, 4, 20), counters("c2", 90, 0, 50), counters("l1", 1900, 0, 5)];
    const c = sideIncrement(prev, next, new Set(["c1", "c2"]));
    expect(c).toEqual({ requests: 100, errors5xx: 3, responseMsTimesRequests: 60 * 20 + 40 * 50, timedRequests: 100 });
  });

  it("counts a new server or a counter that went back from zero, never negative", () => {
    const c = sideIncrement([counters("c1", 500, 10)], [counters("c1", 20, 1, 5), counters("c2", 30, 0, 5)], new Set(["c1", "c2"]));
    expect(c.requests).toBe(0);
    expect(c.errors5xx).toBe(0);
  });
});

describe("judgeGate", () => {
  it("is inconclusive below minRequests, whatever the errors", () => {
    const r = judgeGate(analysis, [inc(10_000, side(40, 40), side(400))], 10_000);
    expect(r.verdict).toBe("inconclusive");
    expect(r.findings[0]).toContain("40 candidate requests");
  });

  it("passes within the limits and breaches each absolute limit with the measured value", () => {
    expect(judgeGate(analysis, [inc(2000, side(60, 1), side(600)), inc(4000, side(60, 2), side(600))], 4000).verdict).toBe("pass");
    const bad = judgeGate(analysis, [inc(2000, side(60, 12, 300), side(600)), inc(4000, side(60, 12, 300), side(600))], 4000);
    expect(bad.verdict).toBe("breach");
    expect(bad.findings).toEqual(["5xx ratio 20.00 % > max5xxRatio 5.00 %", "response time 300 ms > maxResponseMs 200 ms"]);
    expect(bad.candidate).toMatchObject({ requests: 120, errors5xx: 24, rps: 30, ratio5xx: 0.2, responseMs: 300 });
  });

  it("only counts the increments inside the window", () => {
    const old = inc(1000, side(500, 500), side(500));
    const fresh = inc(20_000, side(200, 0), side(500));
    const r = judgeGate(analysis, [old, fresh], 20_000);
    expect(r.verdict).toBe("pass");
    expect(r.candidate.requests).toBe(200);
  });

  it("applies relative limits against the live side when it has enough requests and a value", () => {
    const rel = RolloutAnalysis.parse({ ...analysis, maxResponseVsLive: 1.5, max5xxRatioVsLive: 2 });
    const r = judgeGate(rel, [inc(2000, side(200, 8, 100), side(1000, 10, 50))], 2000);
    expect(r.findings).toEqual([
      "5xx ratio 4.00 % > 2 × live 1.00 % (max5xxRatioVsLive)",
      "response time 100 ms > 1.5 × live 50 ms (maxResponseVsLive)",
    ]);
    // A live side without errors gives no ratio to compare with: the absolute limit alone decides.
    expect(judgeGate(rel, [inc(2000, side(200, 8, 70), side(1000, 0, 50))], 2000).verdict).toBe("pass");
  });
});

describe("step clock", () => {
  const timed = { weight: 10, pauseS: 60 };
  it("recomputes time left from the recorded start, frozen while paused", () => {
    const start = new Date(1_000_000);
    expect(stepTimeLeftMs(timed, { stepStartedAt: start, pausedElapsedMs: null }, 1_000_000 + 45_000)).toBe(15_000);
    expect(stepTimeLeftMs(timed, { stepStartedAt: start, pausedElapsedMs: 10_000 }, 9_999_999)).toBe(50_000);
    expect(stepTimeLeftMs(timed, { stepStartedAt: start, pausedElapsedMs: null }, 1_000_000 + 90_000)).toBe(0);
    expect(stepTimeLeftMs({ weight: 50, manual: true }, { stepStartedAt: start, pausedElapsedMs: null }, 2_000_000)).toBeNull();
  });

  it("a resumed step starts so that its elapsed time carries on", () => {
    const s = resumedStepStart(10_000, 5_000_000);
    expect(stepElapsedMs({ stepStartedAt: s, pausedElapsedMs: null }, 5_000_000)).toBe(10_000);
  });
});
