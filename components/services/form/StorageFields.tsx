import { FormSection } from "./Field";
import { CheckCell, RowsTable, TextCell, patchRow } from "./RowsTable";
import { blankTmpfsRow, blankVolumeRow, type SectionProps, type TmpfsRow, type VolumeRow } from "./formState";

/** Data volumes kept across releases, and tmpfs mounts for the paths a read-only root must still write. */
export function StorageFields({ state, update, errors }: SectionProps) {
  const setVolume = (key: number, patch: Partial<VolumeRow>) => update({ volumes: patchRow(state.volumes, key, patch) });
  const setTmpfs = (key: number, patch: Partial<TmpfsRow>) => update({ tmpfs: patchRow(state.tmpfs, key, patch) });
  const volumeLabel = (v: VolumeRow) => `volume ${v.name || v.key}`;
  const tmpfsLabel = (t: TmpfsRow) => `tmpfs ${t.target || t.key}`;
  return (
    <FormSection
      title="Storage"
      help="A volume keeps its data across releases: one Docker volume per host, named <service>-<name>, never removed by retire or service delete (delete it on the service page). Backups are yours to make."
      error={errors.volumes ?? errors.tmpfs}
    >
      <h3 className="text-sm font-medium text-slate-700">Volumes</h3>
      <RowsTable
        rows={state.volumes}
        testId="volumes-table"
        rowLabel={volumeLabel}
        addLabel="Add volume"
        onAdd={() => update({ volumes: [...state.volumes, blankVolumeRow()] })}
        onRemove={(r) => update({ volumes: state.volumes.filter((v) => v.key !== r.key) })}
        columns={[
          {
            header: "Name",
            className: "w-1/4",
            cell: (v) => (
              <TextCell
                label="Volume name"
                value={v.name}
                placeholder="data"
                error={errors[`volumes.${v.key}.name`]}
                onChange={(name) => setVolume(v.key, { name })}
              />
            ),
          },
          {
            header: "Target",
            cell: (v) => (
              <TextCell
                label={`Target of ${volumeLabel(v)}`}
                value={v.target}
                placeholder="/var/lib/app"
                error={errors[`volumes.${v.key}.target`]}
                onChange={(target) => setVolume(v.key, { target })}
              />
            ),
          },
          {
            header: "Read-only",
            className: "w-20 text-center",
            cell: (v) => (
              <CheckCell
                label={`${volumeLabel(v)} is read-only`}
                checked={v.readOnly}
                onChange={(readOnly) => setVolume(v.key, { readOnly })}
              />
            ),
          },
          {
            header: "noexec",
            className: "w-20 text-center",
            cell: (v) => (
              <CheckCell label={`${volumeLabel(v)} is noexec`} checked={v.noexec} onChange={(noexec) => setVolume(v.key, { noexec })} />
            ),
          },
        ]}
      />
      <p className="text-xs text-slate-500">
        noexec (the default): files in the volume cannot be executed. Uncheck only for a volume that must hold programs.
      </p>
      <h3 className="pt-2 text-sm font-medium text-slate-700">tmpfs</h3>
      <RowsTable
        rows={state.tmpfs}
        testId="tmpfs-table"
        rowLabel={tmpfsLabel}
        addLabel="Add tmpfs"
        onAdd={() => update({ tmpfs: [...state.tmpfs, blankTmpfsRow()] })}
        onRemove={(r) => update({ tmpfs: state.tmpfs.filter((t) => t.key !== r.key) })}
        columns={[
          {
            header: "Target",
            cell: (t) => (
              <TextCell
                label="tmpfs target"
                value={t.target}
                placeholder="/tmp"
                error={errors[`tmpfs.${t.key}.target`]}
                onChange={(target) => setTmpfs(t.key, { target })}
              />
            ),
          },
          {
            header: "Size (MB)",
            className: "w-32",
            cell: (t) => (
              <TextCell
                label={`Size of ${tmpfsLabel(t)} in MB`}
                type="number"
                min={1}
                max={4096}
                value={t.sizeMb}
                error={errors[`tmpfs.${t.key}.sizeMb`]}
                onChange={(sizeMb) => setTmpfs(t.key, { sizeMb })}
              />
            ),
          },
        ]}
      />
      <p className="text-xs text-slate-500">
        In memory, emptied on every start, noexec. Gives a read-only root the paths the program writes (/tmp, /run, caches); may not sit on,
        under or over a volume.
      </p>
    </FormSection>
  );
}
