"use client";
import { useQuery } from "@tanstack/react-query";
import { ErrorBox } from "@/components/ui/ErrorBox";
import type { ReleaseView } from "@/server/services/serviceOverview";
import { releaseDiffQuery } from "../queries";
import { SpecChanges } from "./SpecChanges";

export type ReleasePair = { from: number; to: number };

const digest = (d: string | null) => d?.split("@")[1]?.slice(7, 19) ?? "none";

/** Two releases side by side: pick them, see the image digest and each spec field that changed. */
export function CompareReleases({
  name,
  releases,
  pair,
  onPair,
}: {
  name: string;
  releases: ReleaseView[];
  pair: ReleasePair;
  onPair: (p: ReleasePair) => void;
}) {
  const q = useQuery(releaseDiffQuery(name, pair.from, pair.to));
  const pick = (label: string, value: number, set: (n: number) => void) => (
    <label className="text-sm">
      <span className="mr-1 text-xs text-slate-500">{label}</span>
      <select
        value={value}
        onChange={(e) => set(Number(e.target.value))}
        aria-label={`Compare ${label}`}
        className="rounded-md border border-slate-300 px-2 py-1 text-sm"
      >
        {releases.map((r) => (
          <option key={r.id} value={r.number}>
            Release {r.number} ({r.status})
          </option>
        ))}
      </select>
    </label>
  );
  const d = q.data?.diff;
  return (
    <div className="border-b border-slate-100 bg-slate-50 px-4 py-3" data-testid="release-compare">
      <div className="flex flex-wrap items-center gap-3">
        <span className="text-sm font-medium">Compare</span>
        {pick("from", pair.from, (from) => onPair({ ...pair, from }))}
        {pick("to", pair.to, (to) => onPair({ ...pair, to }))}
      </div>
      {q.error && <ErrorBox error={q.error} />}
      {d && (
        <div className="mt-2 space-y-1" data-testid="release-diff">
          <p className="text-sm">
            <span className="font-mono text-xs font-semibold">image digest</span>{" "}
            {d.imageDigest.changed ? (
              <span title={`${d.imageDigest.before} → ${d.imageDigest.after}`}>
                <code className="font-mono text-xs text-red-700">{digest(d.imageDigest.before)}</code> →{" "}
                <code className="font-mono text-xs text-emerald-700">{digest(d.imageDigest.after)}</code>
              </span>
            ) : (
              <span className="text-slate-500">same ({digest(d.imageDigest.after)})</span>
            )}
          </p>
          <SpecChanges changes={d.changes} empty={`Release ${d.from} and release ${d.to} have the same spec.`} />
        </div>
      )}
    </div>
  );
}
