"use client";
import { Badge } from "@/components/ui/Badge";
import { ErrorBox } from "@/components/ui/ErrorBox";
import type { Json } from "@/server/http/json";
import type { ServiceOverview } from "@/server/services/serviceOverview";
import { useSmokeTest } from "../queries";

/** The candidate's smoke checks (spec `smoke`): what Switch and a shift up run first; run them now and see each answer. */
export function SmokePanel({ o, blocked }: { o: Json<ServiceOverview>; blocked?: string }) {
  const smoke = useSmokeTest(o.service.name);
  const cand = o.candidate?.release;
  const checks = o.service.spec.smoke;
  if (!cand) return null;
  const run = smoke.data;
  return (
    <section data-testid="smoke-checks" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <header className="flex flex-wrap items-center gap-2">
        <h2 className="text-lg font-semibold">Smoke checks</h2>
        {run && <Badge tone={run.passed ? "green" : "red"}>{run.passed ? "passed" : "failed"}</Badge>}
        <button
          type="button"
          disabled={Boolean(blocked) || smoke.isPending || checks.length === 0}
          title={blocked ?? (checks.length === 0 ? "The spec has no smoke checks." : undefined)}
          onClick={() => smoke.mutate()}
          className="ml-auto rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-40"
        >
          {smoke.isPending ? "Running…" : `Run against release ${cand.number}`}
        </button>
      </header>
      {checks.length === 0 ? (
        <p className="text-sm text-slate-500">
          None in the spec: Switch and shifts go ahead unchecked. Add them under Edit spec → Smoke checks.
        </p>
      ) : (
        <p className="text-sm text-slate-500">
          Run on every candidate container before Switch and before any shift up:{" "}
          {checks.map((c) => `GET ${c.path} → ${c.expectStatus}${c.bodyContains ? ` containing "${c.bodyContains}"` : ""}`).join("; ")}.
        </p>
      )}
      <ErrorBox error={smoke.error} />
      {run && (
        <table className="w-full text-left text-sm">
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="py-1">Container</th>
              <th>Check</th>
              <th>Status</th>
              <th>Latency</th>
              <th>Body (first 1 KB)</th>
            </tr>
          </thead>
          <tbody>
            {run.results.map((r) => (
              <tr key={`${r.server} ${r.path}`} className={`border-t border-slate-100 align-top ${r.ok ? "" : "bg-red-50"}`}>
                <td className="py-1 font-mono text-xs">{r.server}</td>
                <td className="font-mono text-xs">GET {r.path}</td>
                <td>
                  <Badge tone={r.ok ? "green" : "red"}>{r.status ?? "no answer"}</Badge>
                  {r.error && <span className="block text-xs text-red-700">{r.error}</span>}
                </td>
                <td className="font-mono text-xs">{r.latencyMs} ms</td>
                <td>
                  <pre className="max-h-24 max-w-md overflow-auto text-xs whitespace-pre-wrap text-slate-700">{r.body}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
