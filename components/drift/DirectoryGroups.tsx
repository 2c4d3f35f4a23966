import type { ContainerDetail } from "@/server/drift/containerDetail";

/** Filesystem changes by directory, largest first; a click filters the list below to that directory. */
export function DirectoryGroups({
  changes,
  selected,
  onSelect,
}: {
  changes: ContainerDetail["changes"];
  selected: string | null;
  onSelect: (dir: string | null) => void;
}) {
  if (changes.total === 0) return null;
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-sm" data-testid="directory-groups">
        <thead className="text-left text-xs tracking-wide text-slate-400 uppercase">
          <tr>
            <th className="px-4 py-1.5 font-normal">Directory</th>
            <th className="px-2 py-1.5 text-right font-normal">Total</th>
            <th className="px-2 py-1.5 text-right font-normal">Added</th>
            <th className="px-2 py-1.5 text-right font-normal">Changed</th>
            <th className="px-2 py-1.5 text-right font-normal">Deleted</th>
            <th className="px-2 py-1.5 text-right font-normal">Ignored</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {changes.groups.map((g) => (
            <tr key={g.dir} className={selected === g.dir ? "bg-blue-50" : "hover:bg-slate-50"}>
              <td className="px-4 py-1">
                <button
                  onClick={() => onSelect(selected === g.dir ? null : g.dir)}
                  className="font-mono text-xs text-blue-700 hover:underline"
                >
                  {g.dir}
                </button>
              </td>
              <td className="px-2 py-1 text-right font-mono text-xs">{g.total}</td>
              <td className="px-2 py-1 text-right font-mono text-xs">{g.added || ""}</td>
              <td className="px-2 py-1 text-right font-mono text-xs">{g.changed || ""}</td>
              <td className="px-2 py-1 text-right font-mono text-xs">{g.deleted || ""}</td>
              <td className="px-2 py-1 text-right font-mono text-xs text-slate-400">{g.ignored || ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {changes.directories > changes.groups.length && (
        <p className="px-4 py-1 text-xs text-slate-400">
          and {changes.directories - changes.groups.length} smaller directories (all are in the list below)
        </p>
      )}
    </div>
  );
}
