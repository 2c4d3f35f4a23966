"use client";
import { useState } from "react";
import { ConfirmButton } from "@/components/ui/ConfirmButton";
import { ErrorBox } from "@/components/ui/ErrorBox";
import type { Json } from "@/server/http/json";
import type { ServiceOverview } from "@/server/services/serviceOverview";
import { useShiftTraffic } from "../queries";

const PRESETS = [1, 10, 25, 50];
const pct = (x: number) => `${Math.round(x * 100) / 100} %`;

/** Shift traffic: the candidate's share (1/10/25/50 % or any whole percent), the split HAProxy holds now, and who gets none. */
export function ShiftTrafficPanel({ o, blocked }: { o: Json<ServiceOverview>; blocked?: string }) {
  const shift = useShiftTraffic(o.service.name);
  const [custom, setCustom] = useState("");
  const cand = o.candidate?.release;
  if (!cand || !o.service.spec.haproxy) return null;
  const shares = o.shares;
  const current = cand.trafficSharePercent;
  const live = o.live?.release;
  const smokeCount = o.service.spec.smoke.length;
  const customValue = Number(custom);
  const customOk = custom.trim() !== "" && Number.isInteger(customValue) && customValue >= 0 && customValue <= 100;
  const off = Boolean(blocked) || shift.isPending;

  const button = (weight: number, label = `${weight} %`) => (
    <ConfirmButton
      key={label}
      label={label}
      tone={weight === current ? "primary" : "plain"}
      disabled={off || weight === current}
      disabledReason={blocked ?? (weight === current ? "This is the current share." : undefined)}
      title={`Give release ${cand.number} ${weight} % of the traffic?`}
      description={
        <>
          {weight === 0
            ? `Release ${cand.number} goes back to preview only: it gets no traffic from ${o.service.spec.haproxy?.backend}; live release ${live?.number ?? "–"} takes all of it.`
            : `Release ${cand.number} gets ${weight} % of ${o.service.name}'s requests and live release ${live?.number ?? "–"} ${100 - weight} %. Per-server HAProxy weights are computed so the share is exact whatever the replica counts; no connection is cut.`}{" "}
          {weight > current && smokeCount > 0 ? `Its ${smokeCount} smoke check(s) run first; a failure stops the shift.` : ""}
        </>
      }
      confirmLabel={`Shift to ${weight} %`}
      onConfirm={() => shift.mutate(weight)}
    />
  );

  return (
    <section data-testid="shift-traffic" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <header className="flex flex-wrap items-baseline gap-2">
        <h2 className="text-lg font-semibold">Shift traffic</h2>
        <span className="text-sm text-slate-500">a share of the live traffic to release {cand.number} before the Switch</span>
      </header>
      {shares ? (
        <div>
          <div className="flex h-6 overflow-hidden rounded-md text-xs font-medium text-white" aria-label="Live traffic shares">
            {shares.effectivePercent < 100 && (
              <div className="flex items-center bg-emerald-600 px-2" style={{ width: `${100 - shares.effectivePercent}%` }}>
                release {live?.number ?? "–"} {pct(100 - shares.effectivePercent)}
              </div>
            )}
            {shares.effectivePercent > 0 && (
              <div className="flex items-center bg-blue-600 px-2" style={{ width: `${shares.effectivePercent}%` }}>
                {pct(shares.effectivePercent)}
              </div>
            )}
          </div>
          <p className="mt-1 text-sm text-slate-600" data-testid="shares">
            Candidate release {cand.number}: <b>{pct(shares.targetPercent)}</b> recorded, <b>{pct(shares.effectivePercent)}</b> from the
            weights HAProxy holds ({shares.servers.map((s) => `${s.name} ${s.weight}`).join(", ")}).
          </p>
          {shares.leftOut.length > 0 && (
            <ul className="mt-1 list-disc pl-5 text-xs text-amber-800">
              {shares.leftOut.map((s) => (
                <li key={s.name}>
                  {s.name} ({s.side}): {s.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : (
        <p className="text-sm text-slate-500">Current shares unavailable (HAProxy not answering); recorded: {current} %.</p>
      )}
      <div className="flex flex-wrap items-end gap-2">
        {button(0, "0 % (preview)")}
        {PRESETS.map((w) => button(w))}
        <label className="text-sm">
          <span className="block text-xs text-slate-500">Custom %</span>
          <input
            value={custom}
            onChange={(e) => setCustom(e.target.value)}
            inputMode="numeric"
            placeholder="5"
            aria-label="Custom share in percent"
            className="mt-1 w-20 rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm"
          />
        </label>
        {customOk ? (
          button(customValue, `Shift to ${customValue} %`)
        ) : (
          <button
            type="button"
            disabled
            title="A whole percent, 0..100"
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm opacity-40"
          >
            Shift
          </button>
        )}
      </div>
      {shift.error && <ErrorBox error={shift.error} />}
      {shift.data && (
        <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="shift-notice">
          Release {shift.data.candidate} at {pct(shift.data.effectivePercent)} (was {shift.data.previousPercent} %) in {shift.data.ms} ms.
        </p>
      )}
    </section>
  );
}
