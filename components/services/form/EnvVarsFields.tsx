import { FormSection } from "./Field";
import { EnvVarRow } from "./EnvVarRow";
import { blankEnvRow, type EnvRow, type SectionProps } from "./formState";

/** Environment variables: add, edit and remove rows. Empty rows are ignored on save. */
export function EnvVarsFields({ state, update, errors }: SectionProps) {
  const patchRow = (key: number, patch: Partial<EnvRow>) => update({ env: state.env.map((e) => (e.key === key ? { ...e, ...patch } : e)) });
  const add = () => update({ env: [...state.env, blankEnvRow()] });
  return (
    <FormSection
      title="Environment"
      help="Baked into each release. PORT and CONTAINER_NAME are set by Switchyard. Secret values are write-only: masked in the UI, exports and the release log."
      error={errors.env}
    >
      {state.env.length > 0 && (
        <table className="w-full text-sm" data-testid="env-table">
          <thead className="text-left text-xs tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="w-1/3 py-1 pr-2 font-medium">Name</th>
              <th className="py-1 pr-2 font-medium">Value</th>
              <th className="w-16 py-1 pr-2 text-center font-medium">Secret</th>
              <th className="w-20 py-1" />
            </tr>
          </thead>
          <tbody>
            {state.env.map((row) => (
              <EnvVarRow
                key={row.key}
                row={row}
                errors={errors}
                onChange={(patch) => patchRow(row.key, patch)}
                onRemove={() => update({ env: state.env.filter((e) => e.key !== row.key) })}
              />
            ))}
          </tbody>
        </table>
      )}
      <button type="button" onClick={add} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
        Add variable
      </button>
    </FormSection>
  );
}
