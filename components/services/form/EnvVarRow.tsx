import { FieldError, inputTone, monoInputClass } from "./Field";
import type { EnvRow, FieldErrors } from "./formState";

/** One environment variable. Secret values are typed into a password input and never shown again. */
export function EnvVarRow({
  row,
  errors,
  onChange,
  onRemove,
}: {
  row: EnvRow;
  errors: FieldErrors;
  onChange: (patch: Partial<EnvRow>) => void;
  onRemove: () => void;
}) {
  const nameError = errors[`env.${row.key}.name`];
  const valueError = errors[`env.${row.key}.value`];
  const keeps = row.keepsStoredSecret && row.value === "";
  return (
    <tr className="align-top" data-testid={`env-row-${row.name || row.key}`}>
      <td className="py-1.5 pr-2">
        <input
          aria-label="Variable name"
          value={row.name}
          placeholder="LOG_LEVEL"
          autoComplete="off"
          onChange={(e) => onChange({ name: e.target.value })}
          className={`${monoInputClass} ${inputTone(nameError)}`}
        />
        <FieldError error={nameError} />
      </td>
      <td className="py-1.5 pr-2">
        <input
          aria-label={`Value of ${row.name || "variable"}`}
          type={row.secret ? "password" : "text"}
          value={row.value}
          placeholder={keeps ? "unchanged" : row.secret ? "secret value" : "value"}
          autoComplete={row.secret ? "new-password" : "off"}
          onChange={(e) => onChange({ value: e.target.value })}
          className={`${monoInputClass} ${inputTone(valueError)}`}
        />
        {keeps && !valueError && <p className="mt-1 text-xs text-slate-500">Stored secret kept; type to replace it.</p>}
        <FieldError error={valueError} />
      </td>
      <td className="py-1.5 pt-3 pr-2 text-center">
        <input
          type="checkbox"
          aria-label={`${row.name || "variable"} is secret`}
          checked={row.secret}
          onChange={(e) => onChange({ secret: e.target.checked })}
          className="size-4 rounded border-slate-300"
        />
      </td>
      <td className="py-1.5 text-right">
        <button
          type="button"
          onClick={onRemove}
          className="rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-600 hover:bg-slate-50"
          aria-label={`Remove ${row.name || "variable"}`}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}
