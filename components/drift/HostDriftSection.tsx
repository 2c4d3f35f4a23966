import Link from "next/link";
import { TimeAgo } from "@/components/ui/TimeAgo";
import { VerdictBadge } from "./VerdictBadge";
import type { HostSection } from "@/server/drift/driftReport";
import type { ResultView } from "@/server/drift/resultView";

function Findings({ c }: { c: ResultView }) {
  if (c.verdict === "unaccounted") return <span className="text-amber-700">no release accounts for it</span>;
  const parts = [
    c.counts.image && `image ${c.counts.image}`,
    c.counts.config && `config ${c.counts.config}`,
    c.counts.changesEffective && `files ${c.counts.changesEffective}`,
  ].filter(Boolean);
  return (
    <span>
      {parts.length ? parts.join(" · ") : <span className="text-slate-400">none</span>}
      {c.counts.changesIgnored > 0 && (
        <span className="ml-1 text-slate-400" data-testid="ignored-count">
          (+{c.counts.changesIgnored} ignored)
        </span>
      )}
    </span>
  );
}

/** One host: its verdict, its containers with theirs, and what changed since the previous scan. */
export function HostDriftSection({ s, odd }: { s: HostSection; odd: boolean }) {
  const href = (c: ResultView) => `/drift/hosts/${encodeURIComponent(s.host)}/containers/${encodeURIComponent(c.name)}`;
  return (
    <section id={`host-${s.host}`} data-testid={`drift-host-${s.host}`} className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <header className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-4 py-2">
        <Link href={`/hosts/${s.hostId}`} className="text-lg font-semibold hover:underline">
          {s.host}
        </Link>
        <VerdictBadge verdict={s.verdict} />
        {odd && <span className="rounded bg-amber-100 px-1.5 text-xs text-amber-800">host drift</span>}
        <span className="text-sm text-slate-500">
          {s.containers.length} container(s) · {s.counts.drifted} drifted · {s.counts.unaccounted} unaccounted · {s.new} new · {s.resolved}{" "}
          resolved
        </span>
        {s.scan && (
          <span className="ml-auto text-xs text-slate-400">
            scan #{s.scan.scanId}, <TimeAgo at={s.scan.finishedAt ?? s.scan.startedAt} />
          </span>
        )}
      </header>
      {s.scan?.status === "unreachable" && (
        <p className="mx-4 mt-3 rounded-md bg-red-50 p-2 text-sm text-red-800" data-testid="host-error">
          Engine not answering: {s.scan.error}.
          {s.stale && s.containers.length > 0 ? " Containers below are from its last completed scan." : ""}
        </p>
      )}
      {s.scan?.notes.map((n) => (
        <p key={n} className="mx-4 mt-2 text-xs text-slate-500">
          Note: {n}
        </p>
      ))}
      {s.gone.length > 0 && (
        <p className="mx-4 mt-2 text-xs text-emerald-700">
          Resolved since the previous scan (container gone): {s.gone.map((g) => `${g.name} (${g.verdict})`).join(", ")}
        </p>
      )}
      {s.containers.length === 0 ? (
        <p className="p-4 text-sm text-slate-500">{s.scan ? "No containers." : "Not scanned yet."}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm">
            <thead className="text-left text-xs tracking-wide text-slate-400 uppercase">
              <tr>
                <th className="px-4 py-2 font-normal">Container</th>
                <th className="px-2 py-2 font-normal">Release</th>
                <th className="px-2 py-2 font-normal">Verdict</th>
                <th className="px-2 py-2 font-normal">Findings</th>
                <th className="px-2 py-2 font-normal">Since last scan</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {s.containers.map((c) => (
                <tr key={c.id} data-testid={`drift-container-${c.name}`} className="align-top">
                  <td className="px-4 py-1.5">
                    <Link href={href(c)} className="font-mono text-xs text-blue-700 hover:underline">
                      {c.name}
                    </Link>
                    <span className="ml-2 text-xs text-slate-400">{c.state}</span>
                    {c.note && (
                      <p className="max-w-md truncate text-xs text-slate-500" title={c.note}>
                        {c.note}
                      </p>
                    )}
                  </td>
                  <td className="px-2 py-1.5 text-xs">
                    {c.service ? `${c.service} r${c.release}` : <span className="text-slate-400">—</span>}
                    {c.releaseStatus && c.releaseStatus !== "live" && <span className="ml-1 text-slate-400">({c.releaseStatus})</span>}
                  </td>
                  <td className="px-2 py-1.5">
                    <VerdictBadge verdict={c.verdict} />
                  </td>
                  <td className="px-2 py-1.5 text-xs">
                    <Findings c={c} />
                  </td>
                  <td className="px-2 py-1.5 text-xs">
                    {c.new > 0 && <span className="text-red-700">+{c.new} new </span>}
                    {c.resolved > 0 && <span className="text-emerald-700">−{c.resolved} resolved</span>}
                    {c.new === 0 && c.resolved === 0 && <span className="text-slate-400">no change</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
