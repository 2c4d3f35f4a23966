"use client";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ErrorBox } from "@/components/ui/ErrorBox";
import type { ServiceTrafficView } from "@/server/live/serviceTraffic";
import type { TrafficPoint, TrafficRange } from "@/server/live/trafficSeries";
import { serviceTrafficQuery } from "../queries";
import { formatAxis, niceMax, TimeAxis, TrafficChart } from "./TrafficChart";

const RANGES: { range: TrafficRange; label: string }[] = [
  { range: "15m", label: "15 min" },
  { range: "1h", label: "1 h" },
  { range: "24h", label: "24 h" },
];
const RANGE_TEXT: Record<TrafficRange, string> = { "15m": "the last 15 min", "1h": "the last hour", "24h": "the last 24 h" };
const SIDES = new Set(["live", "candidate", "standby", "deploying"]);
const STATUS_TONE: Record<string, string> = {
  live: "text-emerald-700",
  candidate: "text-blue-700",
  standby: "text-amber-700",
};

type Side = ServiceTrafficView["sides"][number];

const series = (side: Side, pick: (p: TrafficPoint) => number | null) => side.points.map((p) => ({ at: p.at, value: pick(p) }));
const latest = (side: Side, pick: (p: TrafficPoint) => number | null) => side.points.findLast((p) => pick(p) !== null);
const peak = (sides: readonly Side[], pick: (p: TrafficPoint) => number | null) =>
  Math.max(0, ...sides.flatMap((s) => s.points.map((p) => pick(p) ?? 0)));

/** Traffic history per release side (requests/s, 5xx/s, response time) with the switch, rollback and deploy moments. */
/** `current`: the page's sides; when they change (deploy, switch), the history is fetched again at once. */
export function TrafficPanel({
  name,
  current,
}: {
  name: string;
  current: readonly ({ release: { number: number; status: string } } | null)[];
}) {
  const [range, setRange] = useState<TrafficRange>("15m");
  const sidesNow = current.flatMap((s) => (s ? [`${s.release.number}:${s.release.status}`] : [])).join(",");
  const q = useQuery(serviceTrafficQuery(name, range, sidesNow));
  const t = q.data;
  const sides = t?.sides.filter((s) => SIDES.has(s.status)) ?? [];
  // One scale per metric across the sides, so old and new compare at a glance.
  const yRps = niceMax(
    peak(sides, (p) => p.rps),
    1,
  );
  const y5xx = niceMax(
    peak(sides, (p) => p.errorsPerS),
    0.1,
  );
  const yRt = niceMax(
    peak(sides, (p) => Math.max(p.rtimeMs ?? 0, p.rtimeP95Ms ?? 0)),
    10,
  );
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="traffic">
      <header className="flex flex-wrap items-center gap-3">
        <h2 className="text-lg font-semibold">Traffic</h2>
        <span className="text-xs text-slate-500">per release, recorded every 10 s from HAProxy</span>
        <div className="ml-auto flex overflow-hidden rounded-md border border-slate-300 text-xs" role="group" aria-label="Time range">
          {RANGES.map((r) => (
            <button
              key={r.range}
              type="button"
              aria-pressed={range === r.range}
              onClick={() => setRange(r.range)}
              className={`px-2.5 py-1 ${range === r.range ? "bg-slate-800 text-white" : "bg-white text-slate-700 hover:bg-slate-50"}`}
            >
              {r.label}
            </button>
          ))}
        </div>
      </header>
      {q.error && <ErrorBox error={q.error} />}
      {t && sides.length === 0 && <p className="mt-3 text-sm text-slate-500">No release is running: nothing to chart.</p>}
      {t && sides.length > 0 && (
        <div
          className={`mt-3 grid gap-6 ${sides.length >= 3 ? "lg:grid-cols-2 xl:grid-cols-3" : sides.length === 2 ? "lg:grid-cols-2" : ""}`}
        >
          {sides.map((side) => {
            const none = side.requests === 0 ? `No traffic yet in ${RANGE_TEXT[range]}` : undefined;
            const common = { from: t.from, to: t.now, stepS: t.stepS, markers: t.markers };
            const rps = latest(side, (p) => p.rps);
            const errors = latest(side, (p) => p.errorsPerS);
            const rt = latest(side, (p) => p.rtimeMs);
            return (
              <div key={side.release} className="space-y-2" data-testid={`traffic-r${side.release}`}>
                <h3 className="text-sm font-medium">
                  Release {side.release} <span className={STATUS_TONE[side.status] ?? "text-slate-500"}>· {side.status}</span>
                  <span className="ml-2 font-normal text-slate-400">{side.requests.toLocaleString()} requests</span>
                </h3>
                <TrafficChart
                  {...common}
                  title="requests/s"
                  value={rps?.rps != null ? rps.rps.toFixed(1) : "—"}
                  lines={[{ values: series(side, (p) => p.rps), className: "stroke-emerald-600" }]}
                  yMax={yRps}
                  unit="/s"
                  labelMarkers
                  empty={none}
                />
                {!none && (
                  <>
                    <TrafficChart
                      {...common}
                      title="5xx/s"
                      value={errors?.errorsPerS != null ? errors.errorsPerS.toFixed(2) : "—"}
                      lines={[{ values: series(side, (p) => p.errorsPerS), className: "stroke-red-600" }]}
                      yMax={y5xx}
                      unit="/s"
                    />
                    <TrafficChart
                      {...common}
                      title="response time (avg, p95 dashed)"
                      value={rt?.rtimeMs != null ? `${formatAxis(rt.rtimeMs)} ms` : "—"}
                      lines={[
                        { values: series(side, (p) => p.rtimeP95Ms), className: "stroke-violet-300", dashed: true },
                        { values: series(side, (p) => p.rtimeMs), className: "stroke-violet-600" },
                      ]}
                      yMax={yRt}
                      unit=" ms"
                    />
                  </>
                )}
                <TimeAxis from={t.from} to={t.now} />
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}
