"use client";
import type { Json } from "@/server/http/json";
import type { RolloutMeasurementView } from "@/server/rollouts/rolloutView";
import type { RolloutAnalysis } from "@/server/services/rolloutSpecInput";

const W = 320;
const H = 90;
const PAD = 4;

/** One small line chart: the candidate's and the live side's values per gate measurement, with the limit as a dashed line. */
function Lines({
  title,
  points,
  candidate,
  live,
  limit,
  format,
}: {
  title: string;
  points: Json<RolloutMeasurementView>[];
  candidate: (m: Json<RolloutMeasurementView>) => number | null;
  live: (m: Json<RolloutMeasurementView>) => number | null;
  limit: number;
  format: (v: number) => string;
}) {
  const values = points.flatMap((m) => [candidate(m), live(m)]).filter((v): v is number => v !== null);
  const top = Math.max(limit * 1.25, ...values, 1e-9);
  const x = (i: number) => PAD + (points.length <= 1 ? 0 : (i / (points.length - 1)) * (W - 2 * PAD));
  const y = (v: number) => H - PAD - (v / top) * (H - 2 * PAD);
  const path = (f: (m: Json<RolloutMeasurementView>) => number | null) =>
    points
      .map((m, i) => [i, f(m)] as const)
      .filter((p): p is readonly [number, number] => p[1] !== null)
      .map(([i, v], k) => `${k ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`)
      .join(" ");
  const lastCandidate = [...points]
    .reverse()
    .map(candidate)
    .find((v) => v !== null);
  return (
    <figure className="min-w-0">
      <figcaption className="flex justify-between text-xs text-slate-500">
        <span>{title}</span>
        <span>
          candidate <b className="text-slate-800">{lastCandidate === undefined || lastCandidate === null ? "—" : format(lastCandidate)}</b>{" "}
          · limit {format(limit)}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="mt-1 h-24 w-full rounded bg-slate-50" role="img" aria-label={title}>
        <line x1={PAD} x2={W - PAD} y1={y(limit)} y2={y(limit)} stroke="#dc2626" strokeDasharray="4 3" strokeWidth={1} />
        <path d={path(live)} fill="none" stroke="#94a3b8" strokeWidth={1.5} />
        <path d={path(candidate)} fill="none" stroke="#2563eb" strokeWidth={2} />
        {points.map((m, i) => {
          const v = candidate(m);
          return v === null ? null : <circle key={m.at} cx={x(i)} cy={y(v)} r={2} fill={m.verdict === "breach" ? "#dc2626" : "#2563eb"} />;
        })}
      </svg>
    </figure>
  );
}

/** The gate's measurements as two small charts: 5xx ratio and response time, candidate (blue) against live (grey) and the limit (red). */
export function RolloutGateChart({ points, analysis }: { points: Json<RolloutMeasurementView>[]; analysis: RolloutAnalysis }) {
  const pct = (v: number) => `${(v * 100).toFixed(v < 0.01 ? 2 : 1)} %`;
  return (
    <div className="grid gap-3 sm:grid-cols-2" data-testid="rollout-gate-chart">
      <Lines
        title="5xx ratio"
        points={points}
        candidate={(m) => m.candidate.ratio5xx}
        live={(m) => m.live.ratio5xx}
        limit={analysis.max5xxRatio}
        format={pct}
      />
      <Lines
        title="Response time"
        points={points}
        candidate={(m) => m.candidate.responseMs}
        live={(m) => m.live.responseMs}
        limit={analysis.maxResponseMs}
        format={(v) => `${Math.round(v)} ms`}
      />
    </div>
  );
}
