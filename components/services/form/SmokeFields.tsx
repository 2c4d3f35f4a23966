import { FormSection } from "./Field";
import { RowsTable, TextCell, patchRow } from "./RowsTable";
import { blankSmokeRow, type SectionProps, type SmokeRow } from "./formState";

/** Smoke checks: GETs on every candidate container before Switch or a shift up; a failure blocks it with the answer shown. */
export function SmokeFields({ state, update, errors }: SectionProps) {
  const set = (key: number, patch: Partial<SmokeRow>) => update({ smoke: patchRow(state.smoke, key, patch) });
  const label = (c: SmokeRow) => `smoke check ${c.path || c.key}`;
  const cell = (c: SmokeRow, field: keyof Omit<SmokeRow, "key">, name: string, placeholder: string) => (
    <TextCell
      label={`${name} of ${label(c)}`}
      value={c[field]}
      placeholder={placeholder}
      error={errors[`smoke.${c.key}.${field}`]}
      onChange={(value) => set(c.key, { [field]: value })}
    />
  );
  return (
    <FormSection
      title="Smoke checks"
      help="GET requests run on every candidate container before Switch and before any shift that raises its share. A different status, or a body without the text, blocks it and shows the answer."
      error={errors.smoke}
    >
      <RowsTable
        rows={state.smoke}
        testId="smoke-table"
        rowLabel={label}
        addLabel="Add smoke check"
        onAdd={() => update({ smoke: [...state.smoke, blankSmokeRow()] })}
        onRemove={(r) => update({ smoke: state.smoke.filter((c) => c.key !== r.key) })}
        columns={[
          { header: "Path", className: "w-1/3", cell: (c) => cell(c, "path", "Path", "/version") },
          { header: "Status", className: "w-20", cell: (c) => cell(c, "expectStatus", "Expected status", "200") },
          { header: "Body contains", cell: (c) => cell(c, "bodyContains", "Body text", "optional") },
          { header: "Timeout ms", className: "w-24", cell: (c) => cell(c, "timeoutMs", "Timeout", "2000") },
        ]}
      />
    </FormSection>
  );
}
