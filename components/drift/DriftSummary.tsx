import type { FleetReport } from "@/server/drift/driftReport";

function Stat({
  label,
  value,
  tone = "text-slate-900",
  testId,
}: {
  label: string;
  value: number | string;
  tone?: string;
  testId?: string;
}) {
  return (
    <div className="rounded-md bg-white px-3 py-2 shadow-sm ring-1 ring-slate-200" data-testid={testId}>
      <p className="text-xs tracking-wide text-slate-400 uppercase">{label}</p>
      <p className={`font-mono text-xl ${tone}`}>{value}</p>
    </div>
  );
}

/** The fleet at a glance: verdict counts, what is new or resolved since the previous scan, noise ignored. */
export function DriftSummary({ s }: { s: FleetReport["summary"] }) {
  return (
    <div className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-8" data-testid="drift-summary">
      <Stat label="Containers" value={s.containers} />
      <Stat label="Clean" value={s.counts.clean} tone="text-emerald-700" testId="count-clean" />
      <Stat label="Drifted" value={s.counts.drifted} tone={s.counts.drifted ? "text-red-700" : "text-slate-900"} testId="count-drifted" />
      <Stat
        label="Unaccounted"
        value={s.counts.unaccounted}
        tone={s.counts.unaccounted ? "text-amber-700" : "text-slate-900"}
        testId="count-unaccounted"
      />
      <Stat label="Allowed to drift" value={s.counts["allowed-to-drift"]} tone="text-blue-700" />
      <Stat label="Ignored changes" value={s.ignoredChanges} tone="text-slate-500" testId="count-ignored" />
      <Stat label="New since last" value={s.new} tone={s.new ? "text-red-700" : "text-slate-900"} />
      <Stat label="Resolved" value={s.resolved} tone={s.resolved ? "text-emerald-700" : "text-slate-900"} />
    </div>
  );
}
