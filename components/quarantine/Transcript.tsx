"use client";
import { useQuery } from "@tanstack/react-query";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { TimeAgo } from "@/components/ui/TimeAgo";
import type { TranscriptViewEntry } from "@/server/quarantine/transcriptRows";
import { transcriptQuery } from "./queries";

function Entry({ e }: { e: TranscriptViewEntry }) {
  const bad = e.error || e.timedOut || e.durationMs === null || (e.exitCode ?? 0) !== 0;
  return (
    <li className="rounded-md border border-slate-200" data-testid={`transcript-${e.id}`}>
      <div className="flex flex-wrap items-baseline gap-x-2 border-b border-slate-100 bg-slate-50 px-2 py-1 text-xs">
        <code className="font-mono text-slate-900">{e.command}</code>
        <span className={bad ? "text-red-700" : "text-emerald-700"}>{e.outcome}</span>
        <span className="ml-auto text-slate-500">
          #{e.id} by <span className="font-medium">{e.by}</span> <TimeAgo at={e.startedAt} />
        </span>
      </div>
      {e.output && <pre className="max-h-48 overflow-auto px-2 py-1 font-mono text-xs whitespace-pre-wrap text-slate-800">{e.output}</pre>}
      {e.truncated && (
        <p className="px-2 pb-1 text-xs text-amber-800">
          Output cut at the cap: {new TextEncoder().encode(e.output).length} of {e.outputBytes} bytes kept.
        </p>
      )}
    </li>
  );
}

/** Every command run in the debug console, oldest first: what the forensic bundle's transcript holds. */
export function Transcript({ quarantineId }: { quarantineId: number }) {
  const t = useQuery(transcriptQuery(quarantineId));
  const entries = t.data?.entries ?? [];
  return (
    <section className="mt-3" data-testid="transcript">
      <h3 className="text-sm font-semibold text-slate-700">Console transcript ({entries.length})</h3>
      {t.error && <ErrorBox error={t.error} />}
      {t.data && entries.length === 0 && <p className="text-xs text-slate-500">No command has been run in this container.</p>}
      <ol className="mt-1 space-y-1.5">
        {entries.map((e) => (
          <Entry key={e.id} e={e} />
        ))}
      </ol>
    </section>
  );
}
