import type { RolloutPlan } from "@/server/services/rolloutSpecInput";
import type { ServiceSpecInput } from "@/server/services/serviceSpecInput";

/**
 * The rollout plan as the form edits it: steps as one line of text
 * ("10:60, 50:manual, 100:30" = weight % : pause seconds, or manual), the
 * analysis limits as strings (empty = the schema's default, or no relative limit).
 */
export type RolloutFields = {
  steps: string;
  max5xxRatio: string;
  maxResponseMs: string;
  windowS: string;
  minRequests: string;
  max5xxRatioVsLive: string;
  maxResponseVsLive: string;
};

const ANALYSIS_FIELDS = ["max5xxRatio", "maxResponseMs", "windowS", "minRequests", "max5xxRatioVsLive", "maxResponseVsLive"] as const;

export function rolloutFields(plan: RolloutPlan | undefined): RolloutFields {
  const a = plan?.analysis;
  const text = (v: number | undefined) => (v === undefined ? "" : String(v));
  return {
    steps: plan ? plan.steps.map((s) => `${s.weight}:${"manual" in s ? "manual" : s.pauseS}`).join(", ") : "",
    max5xxRatio: text(a?.max5xxRatio),
    maxResponseMs: text(a?.maxResponseMs),
    windowS: text(a?.windowS),
    minRequests: text(a?.minRequests),
    max5xxRatioVsLive: text(a?.max5xxRatioVsLive),
    maxResponseVsLive: text(a?.maxResponseVsLive),
  };
}

/** "10:60" → { weight: 10, pauseS: 60 }; "50:manual" → { weight: 50, manual: true }; anything else → a step the schema refuses with its message. */
function stepOf(token: string) {
  const [weight, pause] = token.split(":").map((p) => p.trim());
  const w = weight === "" || weight === undefined ? NaN : Number(weight);
  if (pause === "manual") return { weight: w, manual: true as const };
  return { weight: w, pauseS: pause === undefined || pause === "" ? NaN : Number(pause) };
}

/** The spec's `rollout` input: none when the steps are empty. */
export function rolloutInput(f: RolloutFields): ServiceSpecInput["rollout"] {
  if (f.steps.trim() === "") return undefined;
  const num = (s: string) => (s.trim() === "" ? undefined : Number(s));
  return {
    steps: f.steps
      .split(/[,\n]/)
      .map((t) => t.trim())
      .filter(Boolean)
      .map(stepOf),
    analysis: Object.fromEntries(ANALYSIS_FIELDS.map((k) => [k, num(f[k])]).filter(([, v]) => v !== undefined)),
  };
}
