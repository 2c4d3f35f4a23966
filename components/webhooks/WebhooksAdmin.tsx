"use client";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { WebhookView } from "@/server/webhooks/webhookView";
import { Badge } from "@/components/ui/Badge";
import { ConfirmButton } from "@/components/ui/ConfirmButton";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { DeliveryList } from "./DeliveryList";
import { NewSecretBox } from "./NewSecretBox";
import { WebhookForm } from "./WebhookForm";
import { useDeleteWebhook, useUpdateWebhook, webhooksQuery, type CreatedWebhook } from "./queries";

function WebhookCard({ w }: { w: WebhookView }) {
  const [open, setOpen] = useState(false);
  const update = useUpdateWebhook();
  const remove = useDeleteWebhook();
  const d = w.deliveries;
  return (
    <li className="rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="webhook">
      <div className="flex flex-wrap items-center gap-3 p-3">
        <div className="min-w-0">
          <p className="truncate font-mono text-sm">{w.url}</p>
          <p className="text-xs text-slate-500">
            {w.description ? `${w.description} · ` : ""}
            {w.events.length} event{w.events.length === 1 ? "" : "s"} · added by {w.createdBy}
          </p>
        </div>
        <div className="ml-auto flex flex-wrap items-center gap-2 text-xs">
          {!w.enabled && <Badge tone="slate">disabled</Badge>}
          <Badge tone="green">{d.delivered} delivered</Badge>
          {d.pending > 0 && <Badge tone="amber">{d.pending} pending</Badge>}
          {d.failed > 0 && <Badge tone="red">{d.failed} failed</Badge>}
          <button
            type="button"
            onClick={() => setOpen((v) => !v)}
            aria-expanded={open}
            className="rounded-md border border-slate-300 px-2 py-1"
          >
            {open ? "Hide deliveries" : "Deliveries"}
          </button>
          <button
            type="button"
            disabled={update.isPending}
            onClick={() => update.mutate({ id: w.id, patch: { enabled: !w.enabled } })}
            className="rounded-md border border-slate-300 px-2 py-1 disabled:opacity-40"
          >
            {w.enabled ? "Disable" : "Enable"}
          </button>
          <ConfirmButton
            label="Delete"
            tone="danger"
            title={`Delete webhook ${w.url}?`}
            description={
              <>
                Switchyard stops sending to <span className="font-mono">{w.url}</span>, drops{" "}
                {d.pending ? `its ${d.pending} pending message(s) and ` : ""}
                its delivery history. The receiver&rsquo;s copy of the secret stops being useful.
              </>
            }
            confirmLabel="Delete endpoint"
            disabled={remove.isPending}
            onConfirm={() => remove.mutate(w.id)}
          />
        </div>
      </div>
      <div className="flex flex-wrap gap-1 border-t border-slate-100 px-3 py-2">
        {w.events.map((e) => (
          <code key={e} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] text-slate-600">
            {e}
          </code>
        ))}
      </div>
      <ErrorBox error={update.error ?? remove.error} />
      {open && (
        <div className="border-t border-slate-100 p-3">
          <DeliveryList webhookId={w.id} canEdit />
        </div>
      )}
    </li>
  );
}

/** /settings/webhooks: endpoints that receive signed release, drift and quarantine events (admins only). */
export function WebhooksAdmin({ isAdmin }: { isAdmin: boolean }) {
  const q = useQuery({ ...webhooksQuery(), enabled: isAdmin });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  if (!isAdmin) {
    return (
      <section className="space-y-2">
        <h1 className="text-2xl font-semibold">Webhooks</h1>
        <p className="text-sm text-slate-600">Webhooks are managed by admins.</p>
      </section>
    );
  }
  const hooks = q.data?.webhooks ?? [];
  return (
    <section className="space-y-4">
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold">Webhooks</h1>
        <button
          disabled={creating || created !== null}
          onClick={() => setCreating(true)}
          className="ml-auto rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-40"
        >
          Add endpoint
        </button>
      </div>
      <p className="text-sm text-slate-600">
        Tell other tools what happened: releases deployed, switched, rolled back, retired or failed; drift found or resolved; quarantines
        created, warned, destroyed or cancelled. Each message carries a CDEvents event with the old and new image digests and the changed
        spec fields, and is retried until the endpoint answers 2xx.
      </p>
      {creating && (
        <WebhookForm
          onCancel={() => setCreating(false)}
          onCreated={(c) => {
            setCreated(c);
            setCreating(false);
          }}
        />
      )}
      {created && <NewSecretBox created={created} onDone={() => setCreated(null)} />}
      <ErrorBox error={q.error} />
      {q.isPending && <p className="text-slate-500">Loading webhooks…</p>}
      {q.data && hooks.length === 0 && !creating && (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500">
          No webhook endpoints yet. Add one to send release, drift and quarantine events to chat, paging or CI.
        </p>
      )}
      <ul className="space-y-3">
        {hooks.map((w) => (
          <WebhookCard key={w.id} w={w} />
        ))}
      </ul>
    </section>
  );
}
