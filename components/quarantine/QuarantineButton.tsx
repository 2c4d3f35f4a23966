"use client";
import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { Modal } from "@/components/ui/Modal";
import { formatSeconds } from "@/server/quarantine/constants";
import { DurationInput, toSeconds, type Unit } from "./DurationInput";
import { quarantinesQuery, useStartQuarantine } from "./queries";

/**
 * "Quarantine" for one container (service page, host page): asks for the
 * reason and the lifetime, says what will happen, then starts it server-side.
 */
export function QuarantineButton({
  hostId,
  container,
  name,
  disabled,
  disabledReason,
}: {
  hostId: number;
  container: string;
  name: string;
  disabled?: boolean;
  disabledReason?: string;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [amount, setAmount] = useState("24");
  const [unit, setUnit] = useState<Unit>("h");
  const [isolateNetwork, setIsolateNetwork] = useState(false);
  const limits = useQuery({ ...quarantinesQuery(), enabled: open, select: (d) => d.limits });
  const start = useStartQuarantine();
  const lifetimeS = toSeconds(amount, unit);
  return (
    <>
      <button
        type="button"
        disabled={disabled}
        title={disabled ? disabledReason : `Take ${name} out of traffic and keep it for debugging`}
        onClick={() => setOpen(true)}
        className="rounded border border-amber-300 bg-amber-50 px-1.5 py-0.5 text-xs font-medium text-amber-900 hover:bg-amber-100 disabled:cursor-not-allowed disabled:opacity-40"
      >
        Quarantine
      </button>
      {open && (
        <Modal title={`Quarantine ${name}?`} onClose={() => setOpen(false)}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              start.mutate(
                { hostId, container, reason, lifetimeS: toSeconds(amount, unit), isolateNetwork },
                {
                  onSuccess: () => {
                    setOpen(false);
                    setReason("");
                  },
                },
              );
            }}
          >
            <p className="mt-2 text-sm text-slate-600">
              It is drained and removed from HAProxy first (no request fails), a fresh replacement from the same release is started and
              health-gated, and the container is renamed <span className="font-mono">{name}-quarantined-…</span> and kept running for you to
              debug. It never returns to traffic. At the deadline its forensic bundle is saved and it is destroyed; you can extend or cancel
              that on the{" "}
              <Link href="/quarantine" className="text-blue-700 hover:underline">
                Quarantine
              </Link>{" "}
              page.
            </p>
            <label className="mt-4 block text-sm">
              <span className="block text-xs text-slate-500">Reason (required)</span>
              <textarea
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                rows={2}
                required
                autoFocus
                aria-label="Reason"
                placeholder="e.g. memory grows 50 MB/h; keep it to take a heap dump"
                className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
              />
            </label>
            <div className="mt-3 text-sm">
              <span className="block text-xs text-slate-500">Self-destruct after</span>
              <div className="mt-1 flex items-center gap-2">
                <DurationInput amount={amount} unit={unit} onAmount={setAmount} onUnit={setUnit} label="Lifetime" />
                <span className="text-xs text-slate-500">
                  {Number.isFinite(lifetimeS) && lifetimeS > 0 ? `= ${formatSeconds(lifetimeS)}` : "a positive number"}
                  {limits.data ? `; at most ${formatSeconds(limits.data.maxLifetimeS)}` : ""}
                </span>
              </div>
            </div>
            <label className="mt-3 flex items-start gap-2 text-sm">
              <input type="checkbox" checked={isolateNetwork} onChange={(e) => setIsolateNetwork(e.target.checked)} className="mt-0.5" />
              <span>
                Cut it off from its networks once out of traffic
                <span className="block text-xs text-slate-500">
                  Bridge-mode containers only (reconnected if self-destruct is cancelled). A host-network container has no network of its
                  own to disconnect; the Quarantine page says so.
                </span>
              </span>
            </label>
            {start.error && (
              <div className="mt-3">
                <ErrorBox error={start.error} />
              </div>
            )}
            <div className="mt-5 flex justify-end gap-2">
              <button
                type="button"
                onClick={() => setOpen(false)}
                className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-50"
              >
                Cancel
              </button>
              <button
                type="submit"
                disabled={start.isPending}
                className="rounded-md bg-amber-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-amber-500 disabled:opacity-50"
              >
                {start.isPending ? "Quarantining…" : "Quarantine"}
              </button>
            </div>
          </form>
        </Modal>
      )}
    </>
  );
}
