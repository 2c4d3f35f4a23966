/**
 * The spec's `rollout`: canary steps (the candidate's share of traffic, then a
 * pause or a wait for Continue) and the analysis gate that watches the
 * candidate against the live side. zod only, shared with the form and OpenAPI.
 */
import { z } from "zod";

const weight = z
  .number({ error: "step weight: the candidate's share in percent, 1-100" })
  .int("step weight: a whole percent")
  .min(1, "step weight: at least 1 (%)")
  .max(100, "step weight: at most 100 (%)");

/** Hold this share for pauseS seconds, then go on if the gate passes. */
const TimedStep = z.object({ weight, pauseS: z.number().int("pauseS: whole seconds").min(1, "pauseS: at least 1 s").max(86_400) }).strict();
/** Hold this share until an operator presses Continue. */
const ManualStep = z.object({ weight, manual: z.literal(true, "manual: true (or give pauseS instead)") }).strict();

export const RolloutStep = z.union([TimedStep, ManualStep], {
  error: (iss) =>
    iss.code === "invalid_union" ? 'a rollout step is { "weight": 10, "pauseS": 60 } or { "weight": 50, "manual": true }' : undefined,
});
export type RolloutStep = z.infer<typeof RolloutStep>;

/**
 * Limits on the candidate over the last `windowS` seconds of HAProxy samples.
 * Absolute: its 5xx ratio and response time. Relative (optional): against the
 * live side over the same window, checked only when the live side served at
 * least `minRequests` there and has a non-zero value to compare with (the
 * absolute limit still applies). With fewer than `minRequests` candidate
 * requests the result is "inconclusive": the rollout pauses, never promotes.
 */
export const RolloutAnalysis = z
  .object({
    max5xxRatio: z.number().min(0, "max5xxRatio: 0-1 (0.01 = 1 %)").max(1, "max5xxRatio: 0-1 (0.01 = 1 %)").default(0.01),
    maxResponseMs: z.number().int().min(1, "maxResponseMs: at least 1").max(600_000).default(1000),
    windowS: z.number().int().min(4, "windowS: at least 4 s (two HAProxy samples)").max(3600).default(30),
    minRequests: z.number().int().min(1, "minRequests: at least 1").max(10_000_000).default(100),
    /** The candidate's 5xx ratio may be at most this multiple of the live side's (e.g. 2). */
    max5xxRatioVsLive: z.number().min(1, "max5xxRatioVsLive: a multiple of the live side's ratio, at least 1").max(1000).optional(),
    /** The candidate's response time may be at most this multiple of the live side's (e.g. 1.5). */
    maxResponseVsLive: z.number().min(1, "maxResponseVsLive: a multiple of the live side's response time, at least 1").max(1000).optional(),
  })
  .strict();
export type RolloutAnalysis = z.infer<typeof RolloutAnalysis>;

export const RolloutPlan = z
  .object({
    steps: z.array(RolloutStep).min(1, "rollout: give at least one step").max(20, "rollout: at most 20 steps"),
    analysis: RolloutAnalysis.default(RolloutAnalysis.parse({})),
  })
  .strict()
  .superRefine((r, ctx) => {
    r.steps.forEach((s, i) => {
      const before = r.steps[i - 1];
      if (before && s.weight <= before.weight) {
        ctx.addIssue({
          code: "custom",
          path: ["steps", i, "weight"],
          message: `step ${i + 1}: weight must grow (step ${i} has ${before.weight} %)`,
        });
      }
    });
  });
export type RolloutPlan = z.infer<typeof RolloutPlan>;
