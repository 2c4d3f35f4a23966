"use client";
import { useState } from "react";
import { EXTENSION_PRESETS, formatSeconds } from "@/server/quarantine/constants";
import { DurationInput, toSeconds, type Unit } from "./DurationInput";

/** +1 h, +1 day, or a custom amount; a button that would pass the maximum lifetime is off and says why. */
export function ExtendControls({
  roomS,
  disabled,
  onExtend,
}: {
  roomS: number;
  disabled: string | null;
  onExtend: (addS: number) => void;
}) {
  const [amount, setAmount] = useState("30");
  const [unit, setUnit] = useState<Unit>("min");
  const custom = toSeconds(amount, unit);
  const why = (addS: number) =>
    disabled ?? (addS > roomS ? `Would pass the maximum lifetime: at most ${formatSeconds(roomS)} more.` : undefined);
  const button =
    "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-40";
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="extend">
      <span className="text-xs tracking-wide text-slate-400 uppercase">Extend</span>
      {EXTENSION_PRESETS.map((p) => (
        <button
          key={p.label}
          type="button"
          className={button}
          disabled={Boolean(why(p.addS))}
          title={why(p.addS)}
          onClick={() => onExtend(p.addS)}
        >
          {p.label}
        </button>
      ))}
      <form
        className="flex items-center gap-1"
        onSubmit={(e) => {
          e.preventDefault();
          onExtend(custom);
        }}
      >
        <DurationInput amount={amount} unit={unit} onAmount={setAmount} onUnit={setUnit} label="Extend by" />
        <button type="submit" className={button} disabled={Boolean(disabled) || !(custom > 0)} title={disabled ?? undefined}>
          Extend
        </button>
      </form>
      {!disabled && <span className="text-xs text-slate-500">up to {formatSeconds(roomS)} more</span>}
    </div>
  );
}
