"use client";
import { useEffect, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { DeliveryView } from "@/server/webhooks/webhookView";
import { Badge } from "@/components/ui/Badge";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { formatAgo, TimeAgo } from "@/components/ui/TimeAgo";
import { deliveriesQuery, useRedeliver, webhookKeys } from "./queries";

const TONE = { delivered: "green", failed: "red", pending: "amber", sending: "blue" } as const;

function codeOf(d: { statusCode: number | null; error: string | null }): string {
  if (d.statusCode !== null) return String(d.statusCode);
  return d.error ? "no answer" : "—";
}

function DeliveryRow({ d, onRedeliver, busy, canEdit }: { d: DeliveryView; onRedeliver: () => void; busy: boolean; canEdit: boolean }) {
  const [open, setOpen] = useState(false);
  const queued = d.status === "pending" || d.status === "sending";
  return (
    <>
      <tr className="align-top" data-testid="webhook-delivery">
        <td className="px-3 py-2">
          <button type="button" onClick={() => setOpen((v) => !v)} className="text-left" aria-expanded={open}>
            <span className="font-mono text-xs">{d.event}</span>
            <span className="block font-mono text-[11px] text-slate-400">{d.messageId}</span>
          </button>
        </td>
        <td className="px-3 py-2">
          <Badge tone={TONE[d.status]}>{d.status}</Badge>
        </td>
        <td className="px-3 py-2 font-mono text-xs" title={d.history.map((a) => `${codeOf(a)} ${a.error ?? ""}`).join("\n")}>
          {d.history.length ? d.history.map(codeOf).join(" → ") : "—"}
        </td>
        <td className="px-3 py-2 text-xs text-slate-600">
          <TimeAgo at={d.createdAt} />
          {d.status === "pending" && d.nextAttemptAt && (
            <span className="block text-amber-700">next try in {formatAgo(d.nextAttemptAt - Date.now())}</span>
          )}
        </td>
        <td className="px-3 py-2 text-right">
          <button
            type="button"
            disabled={!canEdit || queued || busy}
            title={queued ? "Already queued" : undefined}
            onClick={onRedeliver}
            className="rounded-md border border-slate-300 px-2 py-1 text-xs disabled:opacity-40"
          >
            Redeliver
          </button>
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={5} className="bg-slate-50 px-3 py-2">
            {d.lastError && <p className="mb-2 text-xs text-red-700">Last error: {d.lastError}</p>}
            <ol className="mb-2 space-y-0.5 text-xs text-slate-600">
              {d.history.map((a, i) => (
                <li key={i}>
                  {new Date(a.at).toLocaleString()} · {a.trigger} · {codeOf(a)} · {a.durationMs} ms{a.error ? ` · ${a.error}` : ""}
                </li>
              ))}
            </ol>
            <pre className="max-h-64 overflow-auto rounded bg-white p-2 font-mono text-[11px] text-slate-700">
              {JSON.stringify(JSON.parse(d.payload), null, 2)}
            </pre>
          </td>
        </tr>
      )}
    </>
  );
}

/** An endpoint's latest deliveries: event, status, every attempt's answer, and Redeliver. */
export function DeliveryList({ webhookId, canEdit }: { webhookId: number; canEdit: boolean }) {
  const q = useQuery(deliveriesQuery(webhookId));
  const redeliver = useRedeliver(webhookId);
  const qc = useQueryClient();
  // The endpoint's counts follow the list as it changes (retries, redeliveries).
  useEffect(() => {
    if (q.dataUpdatedAt) void qc.invalidateQueries({ queryKey: webhookKeys.all, exact: true });
  }, [q.dataUpdatedAt, qc]);
  const list = q.data?.deliveries ?? [];
  return (
    <div className="space-y-2" data-testid="webhook-deliveries">
      <ErrorBox error={q.error ?? redeliver.error} />
      {q.isPending && <p className="text-sm text-slate-500">Loading deliveries…</p>}
      {q.data && list.length === 0 && (
        <p className="text-sm text-slate-500">No deliveries yet: they appear when a subscribed event happens.</p>
      )}
      {list.length > 0 && (
        <table className="w-full text-left text-sm">
          <thead className="text-xs tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="px-3 py-1 font-medium">Event</th>
              <th className="px-3 py-1 font-medium">Status</th>
              <th className="px-3 py-1 font-medium">Answers</th>
              <th className="px-3 py-1 font-medium">Queued</th>
              <th className="px-3 py-1" />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {list.map((d) => (
              <DeliveryRow key={d.id} d={d} canEdit={canEdit} busy={redeliver.isPending} onRedeliver={() => redeliver.mutate(d.id)} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
