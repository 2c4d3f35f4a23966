import { Field, FormSection, inputTone, monoInputClass } from "./Field";
import type { FormState, SectionProps } from "./formState";

type LimitKey = "memoryMb" | "cpus" | "pidsLimit";

const LIMIT_FIELDS: { key: LimitKey; label: string; help: string; min: number; max: number; step?: number; placeholder?: string }[] = [
  {
    key: "memoryMb",
    label: "Memory (MB)",
    help: "The container is killed above this. Empty = no limit.",
    min: 8,
    max: 1_048_576,
    placeholder: "no limit",
  },
  {
    key: "cpus",
    label: "CPUs",
    help: "Share of CPU time, like 0.5 or 2. Empty = no limit.",
    min: 0.01,
    max: 256,
    step: 0.01,
    placeholder: "no limit",
  },
  {
    key: "pidsLimit",
    label: "Process limit",
    help: "Most processes and threads the container may run at once (Docker's pids limit); stops a fork bomb from starving the host.",
    min: 16,
    max: 65_536,
  },
];

/** Resource limits of each container. */
export function LimitsFields({ state, update, errors }: SectionProps) {
  return (
    <FormSection title="Limits" help="Per container; every replica gets the same limits.">
      <div className="grid gap-3 sm:grid-cols-3">
        {LIMIT_FIELDS.map((f) => (
          <Field key={f.key} label={f.label} error={errors[f.key]} help={f.help}>
            <input
              name={f.key}
              type="number"
              min={f.min}
              max={f.max}
              step={f.step}
              value={state[f.key]}
              placeholder={f.placeholder}
              onChange={(e) => update({ [f.key]: e.target.value } as Partial<FormState>)}
              className={`${monoInputClass} ${inputTone(errors[f.key])}`}
            />
          </Field>
        ))}
      </div>
    </FormSection>
  );
}
