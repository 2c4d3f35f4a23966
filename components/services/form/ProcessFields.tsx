import { Field, FormSection, inputTone, monoInputClass } from "./Field";
import type { FormState, SectionProps } from "./formState";

type TextKey = "user" | "workingDir" | "stopGraceS";

const ARGV_FIELDS: { key: "command" | "entrypoint"; label: string; help: string; placeholder: string }[] = [
  { key: "command", label: "Command", help: "One argument per line, no shell. Empty = the image's CMD.", placeholder: "-g\ndaemon off;" },
  {
    key: "entrypoint",
    label: "Entrypoint",
    help: "One argument per line. Empty = the image's ENTRYPOINT.",
    placeholder: "/usr/sbin/nginx",
  },
];

const TEXT_FIELDS: { key: TextKey; label: string; help: string; placeholder: string; type?: "number" }[] = [
  { key: "user", label: "User", help: "A name or uid, optionally :group. Empty = the image's USER.", placeholder: "65534:65534" },
  { key: "workingDir", label: "Working directory", help: "An absolute path. Empty = the image's WORKDIR.", placeholder: "/srv" },
  {
    key: "stopGraceS",
    label: "Stop grace (s)",
    help: "Seconds between SIGTERM and SIGKILL when a container stops. Empty = 5.",
    placeholder: "5",
    type: "number",
  },
];

/** How the process starts and stops: command, entrypoint, user, working directory, stop grace. */
export function ProcessFields({ state, update, errors }: SectionProps) {
  return (
    <FormSection title="Process" help="Overrides of the image's defaults; leave a field empty to keep what the image says.">
      <div className="grid gap-3 sm:grid-cols-2">
        {ARGV_FIELDS.map((f) => (
          <Field key={f.key} label={f.label} error={errors[f.key]} help={f.help}>
            <textarea
              name={f.key}
              rows={3}
              value={state[f.key]}
              placeholder={f.placeholder}
              onChange={(e) => update({ [f.key]: e.target.value } as Partial<FormState>)}
              className={`${monoInputClass} ${inputTone(errors[f.key])}`}
            />
          </Field>
        ))}
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        {TEXT_FIELDS.map((f) => (
          <Field key={f.key} label={f.label} error={errors[f.key]} help={f.help}>
            <input
              name={f.key}
              type={f.type ?? "text"}
              min={f.type ? 0 : undefined}
              max={f.type ? 600 : undefined}
              value={state[f.key]}
              placeholder={f.placeholder}
              autoComplete="off"
              onChange={(e) => update({ [f.key]: e.target.value } as Partial<FormState>)}
              className={`${monoInputClass} ${inputTone(errors[f.key])}`}
            />
          </Field>
        ))}
      </div>
    </FormSection>
  );
}
