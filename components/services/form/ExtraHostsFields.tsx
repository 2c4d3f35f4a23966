import { FormSection } from "./Field";
import { RowsTable, TextCell, patchRow } from "./RowsTable";
import { blankExtraHostRow, type ExtraHostRow, type SectionProps } from "./formState";

/** Lines added to the container's /etc/hosts. */
export function ExtraHostsFields({ state, update, errors }: SectionProps) {
  const set = (key: number, patch: Partial<ExtraHostRow>) => update({ extraHosts: patchRow(state.extraHosts, key, patch) });
  const label = (h: ExtraHostRow) => `extra host ${h.name || h.key}`;
  return (
    <FormSection
      title="Extra hosts"
      help="Entries added to /etc/hosts in every container, for names DNS does not resolve."
      error={errors.extraHosts}
    >
      <RowsTable
        rows={state.extraHosts}
        testId="extra-hosts-table"
        rowLabel={label}
        addLabel="Add host entry"
        onAdd={() => update({ extraHosts: [...state.extraHosts, blankExtraHostRow()] })}
        onRemove={(r) => update({ extraHosts: state.extraHosts.filter((h) => h.key !== r.key) })}
        columns={[
          {
            header: "Host name",
            className: "w-1/2",
            cell: (h) => (
              <TextCell
                label="Extra host name"
                value={h.name}
                placeholder="db.internal"
                error={errors[`extraHosts.${h.key}.name`]}
                onChange={(name) => set(h.key, { name })}
              />
            ),
          },
          {
            header: "Address",
            cell: (h) => (
              <TextCell
                label={`Address of ${label(h)}`}
                value={h.address}
                placeholder="127.0.0.1"
                error={errors[`extraHosts.${h.key}.address`]}
                onChange={(address) => set(h.key, { address })}
              />
            ),
          },
        ]}
      />
    </FormSection>
  );
}
