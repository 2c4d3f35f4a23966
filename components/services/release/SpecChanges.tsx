import type { SpecChange } from "@/server/releases/releaseDiff";

const show = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** Each changed spec field, before → after; a secret value only as "changed". */
export function SpecChanges({ changes, empty = "No spec field changed." }: { changes: SpecChange[]; empty?: string }) {
  if (changes.length === 0) return <p className="text-sm text-slate-500">{empty}</p>;
  return (
    <ul className="space-y-1 text-sm" data-testid="spec-changes">
      {changes.map((c) => (
        <li key={c.path} className="flex flex-wrap items-baseline gap-x-2" data-testid="spec-change">
          <code className="font-mono text-xs font-semibold text-slate-800">{c.path}</code>
          {c.secret ? (
            <span className="text-amber-700">changed (secret value not shown)</span>
          ) : c.change === "added" ? (
            <span>
              <span className="text-emerald-700">added</span> <code className="font-mono text-xs">{show(c.after)}</code>
            </span>
          ) : c.change === "removed" ? (
            <span>
              <span className="text-red-700">removed</span> <code className="font-mono text-xs line-through">{show(c.before)}</code>
            </span>
          ) : (
            <span>
              <code className="font-mono text-xs text-red-700">{show(c.before)}</code> →{" "}
              <code className="font-mono text-xs text-emerald-700">{show(c.after)}</code>
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
