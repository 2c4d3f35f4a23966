import type { TrafficMarker } from "@/server/live/trafficSeries";

/** One line of a chart: values at times, null for a gap. */
export type ChartLine = { values: readonly { at: number; value: number | null }[]; className: string; dashed?: boolean };

const MARKER_TONE: Record<TrafficMarker["kind"], { line: string; label: string }> = {
  switch: { line: "stroke-blue-500", label: "bg-blue-50 text-blue-800" },
  rollback: { line: "stroke-amber-500", label: "bg-amber-50 text-amber-800" },
  deploy: { line: "stroke-slate-400", label: "bg-slate-100 text-slate-700" },
};

/** Rows of marker labels at most; markers beyond them keep only their line. */
const MAX_LANES = 3;
const W = 1000;
const H = 100;

/** SVG path of a line with gaps: a null value ends the segment; a lone point becomes a short dash so it shows. */
function linePath(values: ChartLine["values"], x: (at: number) => number, y: (v: number) => number, stepW: number): string {
  let d = "";
  let open = false;
  values.forEach((p, i) => {
    if (p.value === null) {
      open = false;
      return;
    }
    const next = values[i + 1];
    const lone = !open && (next === undefined || next.value === null);
    d += `${open ? "L" : "M"}${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`;
    if (lone) d += `h${Math.max(2, stepW / 2).toFixed(1)}`;
    open = true;
  });
  return d;
}

/**
 * A small inline-SVG chart: the plot stretches to its box (lines keep their
 * width with non-scaling strokes); text is HTML positioned in %, so it never
 * stretches. Markers are vertical lines, labelled when `labelMarkers`.
 */
export function TrafficChart({
  title,
  value,
  lines,
  yMax,
  unit,
  from,
  to,
  stepS,
  markers,
  labelMarkers,
  empty,
}: {
  title: string;
  /** The latest value, shown next to the title. */
  value: string;
  lines: readonly ChartLine[];
  yMax: number;
  unit: string;
  from: number;
  to: number;
  stepS: number;
  markers: readonly TrafficMarker[];
  labelMarkers?: boolean;
  /** Shown over the plot instead of lines (e.g. "No traffic yet"). */
  empty?: string;
}) {
  const span = Math.max(1, to - from);
  const x = (at: number) => ((at - from) / span) * W;
  const y = (v: number) => H - (Math.min(v, yMax) / yMax) * (H - 4);
  const stepW = ((stepS * 1000) / span) * W;
  const pct = (at: number) => Math.min(100, Math.max(0, ((at - from) / span) * 100));
  const lanes = labelMarkers ? markerLanes(markers.map((m) => pct(m.at))) : [];
  const laneCount = Math.min(MAX_LANES, Math.max(0, ...lanes.map((l) => l + 1)));
  return (
    <figure className="min-w-0" data-testid={`chart-${title}`}>
      <figcaption className="flex items-baseline justify-between text-xs">
        <span className="text-slate-500">{title}</span>
        <span className="font-mono text-slate-800">{value}</span>
      </figcaption>
      <div className="relative mt-1" style={{ paddingTop: laneCount * 16 }}>
        {labelMarkers &&
          markers.map((m, i) => {
            const at = pct(m.at);
            // Near an edge the label hangs inward from its line, so it never leaves the chart.
            const shift = at > 85 ? "-translate-x-full" : at < 15 ? "" : "-translate-x-1/2";
            return lanes[i]! < MAX_LANES ? (
              <span
                key={`${m.at}-${i}`}
                data-testid={`marker-${m.kind}`}
                title={`${m.label} at ${new Date(m.at).toLocaleTimeString()}`}
                className={`absolute z-10 rounded px-1 text-[10px] leading-4 whitespace-nowrap ${shift} ${MARKER_TONE[m.kind].label}`}
                style={{ left: `${at}%`, top: lanes[i]! * 16 }}
              >
                {m.label}
              </span>
            ) : null;
          })}
        <div className="relative h-14 border-b border-l border-slate-300">
          <span className="absolute -top-0.5 left-1 text-[10px] leading-3 text-slate-400">
            {formatAxis(yMax)}
            {unit}
          </span>
          <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" className="absolute inset-0 h-full w-full overflow-visible" aria-hidden>
            <line x1={0} x2={W} y1={4} y2={4} className="stroke-slate-100" vectorEffect="non-scaling-stroke" />
            {markers.map((m, i) => (
              <line
                key={`${m.at}-${i}`}
                x1={x(m.at)}
                x2={x(m.at)}
                y1={0}
                y2={H}
                className={MARKER_TONE[m.kind].line}
                strokeDasharray="3 2"
                vectorEffect="non-scaling-stroke"
              />
            ))}
            {!empty &&
              lines.map((l, i) => (
                <path
                  key={i}
                  d={linePath(l.values, x, y, stepW)}
                  fill="none"
                  className={l.className}
                  strokeWidth={1.5}
                  strokeDasharray={l.dashed ? "4 3" : undefined}
                  strokeLinejoin="round"
                  vectorEffect="non-scaling-stroke"
                />
              ))}
          </svg>
          {empty && <p className="absolute inset-0 flex items-center justify-center text-xs text-slate-400">{empty}</p>}
        </div>
      </div>
    </figure>
  );
}

/**
 * Label rows for markers at these x positions (%, oldest first): newest first,
 * a label goes to the first row where it clears the one placed there before,
 * so when rows run out it is the oldest labels that are left out.
 */
function markerLanes(xs: readonly number[]): number[] {
  const lastX: number[] = [];
  const lanes = new Array<number>(xs.length);
  for (let i = xs.length - 1; i >= 0; i--) {
    let lane = lastX.findIndex((prev) => prev - xs[i]! > 16);
    if (lane === -1) lane = lastX.length;
    lastX[lane] = xs[i]!;
    lanes[i] = lane;
  }
  return lanes;
}

/** The time axis under a column of charts: a few HH:MM ticks, evenly spaced on round minutes. */
export function TimeAxis({ from, to }: { from: number; to: number }) {
  const span = to - from;
  const every = span <= 20 * 60_000 ? 5 * 60_000 : span <= 2 * 3_600_000 ? 15 * 60_000 : 6 * 3_600_000;
  const ticks: number[] = [];
  // Ticks too close to an edge would be cut in half: left out.
  for (let t = Math.ceil(from / every) * every; t <= to; t += every) if (t - from > span * 0.04 && to - t > span * 0.04) ticks.push(t);
  return (
    <div className="relative h-4 text-[10px] text-slate-400" aria-hidden>
      {ticks.map((t) => (
        <span key={t} className="absolute -translate-x-1/2" style={{ left: `${((t - from) / span) * 100}%` }}>
          {new Date(t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}
        </span>
      ))}
    </div>
  );
}

/** Axis numbers: 1.5k, 12, 0.4. */
export function formatAxis(v: number): string {
  if (v >= 1000) return `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k`;
  if (v >= 10) return String(Math.round(v));
  return String(Number(v.toFixed(1)));
}

/** A round upper bound for the y axis (1, 2, 5 × 10^n), never below `floor`. */
export function niceMax(v: number, floor: number): number {
  const m = Math.max(v, floor);
  const p = 10 ** Math.floor(Math.log10(m));
  return [1, 2, 5, 10].map((k) => k * p).find((c) => c >= m) ?? 10 * p;
}
