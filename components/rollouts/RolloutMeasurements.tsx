import type { Json } from "@/server/http/json";
import type { RolloutMeasurementView } from "@/server/rollouts/rolloutView";

const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(2)} %`);
const ms = (v: number | null) => (v === null ? "—" : `${Math.round(v)} ms`);

/** The latest gate measurements (newest first): each side over the window, and the verdict with what decided it. */
export function RolloutMeasurements({ points }: { points: Json<RolloutMeasurementView>[] }) {
  if (points.length === 0) return <p className="text-sm text-slate-500">No gate measurement yet (one every HAProxy sample, 2 s).</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-xs" data-testid="rollout-measurements">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-2 font-medium">At</th>
            <th className="pr-2 font-medium">Step</th>
            <th className="pr-2 font-medium">Candidate req · req/s · 5xx · resp</th>
            <th className="pr-2 font-medium">Live req · req/s · 5xx · resp</th>
            <th className="font-medium">Verdict</th>
          </tr>
        </thead>
        <tbody className="font-mono">
          {points.map((m) => (
            <tr key={m.at} className="border-t border-slate-100">
              <td className="py-1 pr-2">{new Date(m.at).toLocaleTimeString()}</td>
              <td className="pr-2">
                {m.step} ({m.targetPercent} %)
              </td>
              <td className="pr-2">
                {m.candidate.requests} · {m.candidate.rps.toFixed(1)} · {pct(m.candidate.ratio5xx)} · {ms(m.candidate.responseMs)}
              </td>
              <td className="pr-2">
                {m.live.requests} · {m.live.rps.toFixed(1)} · {pct(m.live.ratio5xx)} · {ms(m.live.responseMs)}
              </td>
              <td
                className={m.verdict === "breach" ? "text-red-700" : m.verdict === "pass" ? "text-emerald-700" : "text-amber-700"}
                title={m.detail ?? undefined}
              >
                {m.verdict}
                {m.detail ? `: ${m.detail}` : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
