import type { HostDrift } from "@/server/drift/hostDrift";

/** Engine facts across hosts: servers that should be identical, with the odd ones out highlighted. */
export function HostDriftTable({ drift }: { drift: HostDrift }) {
  const hosts = drift.fields[0]?.values.map((v) => v.host) ?? [];
  return (
    <section className="rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="host-drift">
      <div className="flex items-baseline gap-3 border-b border-slate-100 px-4 py-2">
        <h2 className="font-semibold">Host drift</h2>
        <p className="text-sm text-slate-500">
          {drift.compared < 2
            ? "Needs two reachable hosts to compare."
            : drift.oddHosts.length
              ? `Odd one(s) out: ${drift.oddHosts.join(", ")}`
              : `All ${drift.compared} reachable hosts agree.`}
        </p>
      </div>
      <div className="overflow-x-auto">
        <table className="min-w-full text-sm">
          <thead className="text-left text-xs tracking-wide text-slate-400 uppercase">
            <tr>
              <th className="px-4 py-2 font-normal">Fact</th>
              {hosts.map((h) => (
                <th key={h} className="px-3 py-2 font-normal">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {drift.fields.map((f) => (
              <tr key={f.key}>
                <td className="px-4 py-1.5 text-slate-600">{f.label}</td>
                {f.values.map((v) => (
                  <td
                    key={v.host}
                    data-odd={v.odd}
                    className={`max-w-xs truncate px-3 py-1.5 font-mono text-xs ${v.odd ? "bg-amber-50 font-semibold text-amber-800" : "text-slate-800"}`}
                    title={v.odd ? `differs from ${f.majority ?? "the other hosts"}` : (v.value ?? "")}
                  >
                    {v.value ?? <span className="text-slate-400">unknown</span>}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
