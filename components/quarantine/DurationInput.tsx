"use client";

export const UNITS = { s: 1, min: 60, h: 3600, d: 86_400 } as const;
export type Unit = keyof typeof UNITS;

/** "1.5" h → 5400 s; NaN when the amount is not a number. */
export function toSeconds(amount: string, unit: Unit): number {
  const n = Number(amount.trim());
  return amount.trim() === "" || !Number.isFinite(n) ? NaN : Math.round(n * UNITS[unit]);
}

/** A number and a unit (seconds, minutes, hours, days). */
export function DurationInput(props: {
  amount: string;
  unit: Unit;
  onAmount: (v: string) => void;
  onUnit: (u: Unit) => void;
  label: string;
}) {
  return (
    <span className="inline-flex">
      <input
        value={props.amount}
        onChange={(e) => props.onAmount(e.target.value)}
        inputMode="decimal"
        aria-label={`${props.label} (amount)`}
        className="w-20 rounded-l-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
      />
      <select
        value={props.unit}
        onChange={(e) => props.onUnit(e.target.value as Unit)}
        aria-label={`${props.label} (unit)`}
        className="rounded-r-md border border-l-0 border-slate-300 bg-slate-50 px-1 py-1.5 text-sm"
      >
        <option value="s">seconds</option>
        <option value="min">minutes</option>
        <option value="h">hours</option>
        <option value="d">days</option>
      </select>
    </span>
  );
}
