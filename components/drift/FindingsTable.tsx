import type { Finding } from "@/server/drift/findings";

const TITLE: Record<string, string> = { image: "Image", config: "Config", registry: "Registry" };

/** Image and config findings, grouped by category; informational ones are marked and never count as drift. */
export function FindingsTable({ findings }: { findings: Finding[] }) {
  if (findings.length === 0)
    return (
      <p className="p-4 text-sm text-slate-500" data-testid="no-findings">
        Image and config are exactly as released.
      </p>
    );
  const groups = ["image", "config", "registry"]
    .map((c) => ({ c, items: findings.filter((f) => f.category === c) }))
    .filter((g) => g.items.length);
  return (
    <table className="min-w-full text-sm" data-testid="findings">
      <tbody className="divide-y divide-slate-100">
        {groups.map((g) => [
          <tr key={g.c} className="bg-slate-50">
            <th colSpan={3} className="px-4 py-1 text-left text-xs tracking-wide text-slate-500 uppercase">
              {TITLE[g.c]} ({g.items.length})
            </th>
          </tr>,
          ...g.items.map((f) => (
            <tr key={f.key} data-testid={`finding-${f.key}`} className="align-top">
              <td className="px-4 py-1.5">
                {f.message}
                {f.info && <span className="ml-2 rounded bg-slate-100 px-1 text-xs text-slate-500">info</span>}
              </td>
              <td className="max-w-xs px-2 py-1.5 font-mono text-xs break-all text-slate-500">
                {f.expected !== undefined && <>released: {f.expected}</>}
              </td>
              <td className="max-w-xs px-2 py-1.5 font-mono text-xs break-all text-red-700">
                {f.actual !== undefined && <>running: {f.actual}</>}
              </td>
            </tr>
          )),
        ])}
      </tbody>
    </table>
  );
}
