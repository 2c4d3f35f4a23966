import { Field, FormSection, inputClass, inputTone, monoInputClass } from "./Field";
import { HEALTH_DEFAULTS, type HealthFields, type SectionProps } from "./formState";

type NumberKey = Exclude<keyof HealthFields, "path" | "kind" | "command">;

const NUMBER_FIELDS: { key: NumberKey; label: string; help: string; min: number; max: number }[] = [
  { key: "intervalMs", label: "Interval (ms)", help: "Pause between checks.", min: 100, max: 60_000 },
  { key: "timeoutMs", label: "Timeout (ms)", help: "One check fails after this long without an answer.", min: 100, max: 60_000 },
  { key: "healthyAfter", label: "Healthy after", help: "Passing checks in a row that make a container healthy.", min: 1, max: 20 },
  { key: "gateTimeoutS", label: "Gate timeout (s)", help: "A deploy aborts if its containers are not healthy by then.", min: 1, max: 900 },
];

/** The health gate every new release must pass before it gets traffic. */
export function HealthCheckFields({ state, update, errors }: SectionProps) {
  const set = (patch: Partial<HealthFields>) => update({ health: { ...state.health, ...patch } });
  return (
    <FormSection
      title="Health check"
      help="Switchyard checks every new container until it passes; only then can the release take traffic. The live release keeps serving if the gate fails."
      error={errors.health}
    >
      <div className="grid gap-3 sm:grid-cols-3">
        <Field
          label="Kind"
          error={errors["health.kind"]}
          help="http: GET a path. tcp: connect to the port. exec: a command in the container exits 0."
        >
          <select
            name="health.kind"
            value={state.health.kind}
            onChange={(e) => set({ kind: e.target.value as HealthFields["kind"] })}
            className={inputClass}
          >
            <option value="http">http</option>
            <option value="tcp">tcp</option>
            <option value="exec">exec</option>
          </select>
        </Field>
        {state.health.kind === "http" && (
          <>
            <Field label="Path" error={errors["health.path"]} help={`Empty = ${HEALTH_DEFAULTS.path}.`}>
              <input
                name="health.path"
                value={state.health.path}
                placeholder={HEALTH_DEFAULTS.path}
                onChange={(e) => set({ path: e.target.value })}
                className={`${monoInputClass} ${inputTone(errors["health.path"])}`}
              />
            </Field>
            <Field label="Expected status" error={errors["health.expectStatus"]} help="HTTP status that counts as healthy.">
              <input
                name="health.expectStatus"
                type="number"
                min={100}
                max={599}
                value={state.health.expectStatus}
                placeholder={String(HEALTH_DEFAULTS.expectStatus)}
                onChange={(e) => set({ expectStatus: e.target.value })}
                className={`${monoInputClass} ${inputTone(errors["health.expectStatus"])}`}
              />
            </Field>
          </>
        )}
        {state.health.kind === "exec" && (
          <Field label="Command" error={errors["health.command"]} help="One argument per line, run without a shell, e.g. pg_isready.">
            <textarea
              name="health.command"
              rows={3}
              value={state.health.command}
              onChange={(e) => set({ command: e.target.value })}
              className={`${monoInputClass} ${inputTone(errors["health.command"])}`}
            />
          </Field>
        )}
        {NUMBER_FIELDS.map((f) => (
          <Field key={f.key} label={f.label} error={errors[`health.${f.key}`]} help={f.help}>
            <input
              name={`health.${f.key}`}
              type="number"
              min={f.min}
              max={f.max}
              value={state.health[f.key]}
              placeholder={String(HEALTH_DEFAULTS[f.key])}
              onChange={(e) => set({ [f.key]: e.target.value })}
              className={`${monoInputClass} ${inputTone(errors[`health.${f.key}`])}`}
            />
          </Field>
        ))}
      </div>
    </FormSection>
  );
}
