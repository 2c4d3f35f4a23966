import { Field, FormSection, inputTone, monoInputClass } from "./Field";
import type { SectionProps } from "./formState";
import type { RolloutFields as Fields } from "./rolloutForm";

const LIMITS: { key: keyof Fields; label: string; placeholder: string; help: string }[] = [
  { key: "max5xxRatio", label: "Max 5xx ratio", placeholder: "0.01", help: "0-1 (0.01 = 1 %) of the candidate's requests." },
  { key: "maxResponseMs", label: "Max response time (ms)", placeholder: "1000", help: "HAProxy's response time, weighted by requests." },
  { key: "windowS", label: "Window (s)", placeholder: "30", help: "The gate looks at this many seconds of samples." },
  {
    key: "minRequests",
    label: "Min requests",
    placeholder: "100",
    help: "Fewer candidate requests: inconclusive (pauses, never promotes).",
  },
  {
    key: "max5xxRatioVsLive",
    label: "Max 5xx vs live (×)",
    placeholder: "none",
    help: "Optional: at most this multiple of the live side's ratio.",
  },
  {
    key: "maxResponseVsLive",
    label: "Max response vs live (×)",
    placeholder: "none",
    help: "Optional: at most this multiple of the live side's time.",
  },
];

/** Canary steps and the analysis gate (spec `rollout`). */
export function RolloutFields({ state, update, errors }: SectionProps) {
  const set = (patch: Partial<Fields>) => update({ rollout: { ...state.rollout, ...patch } });
  const steps = state.rollout.steps.trim() !== "";
  return (
    <FormSection
      title="Rollout"
      help="Optional. Instead of one Switch, the candidate takes a growing share of the traffic, step by step, while a gate watches its 5xx ratio and response time against limits; a breach aborts on its own (share back to 0 %)."
    >
      <Field
        label="Steps"
        error={errors["rollout.steps"]}
        help='Weight % : pause seconds, or "manual" to wait for Continue, e.g. 10:60, 50:manual, 100:30. Empty = no rollout (Switch only).'
      >
        <input
          name="rolloutSteps"
          value={state.rollout.steps}
          onChange={(e) => set({ steps: e.target.value })}
          placeholder="10:60, 50:manual, 100:30"
          className={`${monoInputClass} ${inputTone(errors["rollout.steps"])}`}
        />
      </Field>
      {steps && (
        <div className="grid gap-3 sm:grid-cols-3">
          {LIMITS.map((l) => (
            <Field key={l.key} label={l.label} error={errors[`rollout.${l.key}`]} help={l.help}>
              <input
                name={`rollout-${l.key}`}
                inputMode="decimal"
                value={state.rollout[l.key]}
                onChange={(e) => set({ [l.key]: e.target.value })}
                placeholder={l.placeholder}
                className={`${monoInputClass} ${inputTone(errors[`rollout.${l.key}`])}`}
              />
            </Field>
          ))}
        </div>
      )}
    </FormSection>
  );
}
