import { FormSection } from "./Field";
import { RowsTable, TextCell, patchRow } from "./RowsTable";
import { blankLabelRow, type LabelRow, type SectionProps } from "./formState";

/** The user's Docker labels on every container; Switchyard's own (switchyard.*) are added by it. */
export function LabelsFields({ state, update, errors }: SectionProps) {
  const set = (key: number, patch: Partial<LabelRow>) => update({ labels: patchRow(state.labels, key, patch) });
  const label = (l: LabelRow) => `label ${l.name || l.key}`;
  return (
    <FormSection
      title="Labels"
      help='Docker labels on every container, e.g. team.owner. The "switchyard." prefix is reserved.'
      error={errors.labels}
    >
      <RowsTable
        rows={state.labels}
        testId="labels-table"
        rowLabel={label}
        addLabel="Add label"
        onAdd={() => update({ labels: [...state.labels, blankLabelRow()] })}
        onRemove={(r) => update({ labels: state.labels.filter((l) => l.key !== r.key) })}
        columns={[
          {
            header: "Key",
            className: "w-1/2",
            cell: (l) => (
              <TextCell
                label="Label key"
                value={l.name}
                placeholder="team.owner"
                error={errors[`labels.${l.key}.name`]}
                onChange={(name) => set(l.key, { name })}
              />
            ),
          },
          {
            header: "Value",
            cell: (l) => (
              <TextCell
                label={`Value of ${label(l)}`}
                value={l.value}
                placeholder="ops"
                error={errors[`labels.${l.key}.value`]}
                onChange={(value) => set(l.key, { value })}
              />
            ),
          },
        ]}
      />
    </FormSection>
  );
}
