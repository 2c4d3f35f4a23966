"use client";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { WebhookInput } from "@/server/webhooks/webhookInput";
import { WEBHOOK_EVENTS, WEBHOOK_EVENT_LABELS } from "@/server/webhooks/constants";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { useCreateWebhook, type CreatedWebhook } from "./queries";

const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";
const GROUPS = ["release", "drift", "quarantine"] as const;

/** A new endpoint: its URL and the events it gets (all of them ticked to start with). */
export function WebhookForm({ onCreated, onCancel }: { onCreated: (c: CreatedWebhook) => void; onCancel: () => void }) {
  const create = useCreateWebhook();
  const [invalid, setInvalid] = useState<Error | null>(null);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const description = String(f.get("description") ?? "").trim();
    const check = WebhookInput.safeParse({
      url: String(f.get("url") ?? ""),
      events: f.getAll("events").map(String),
      ...(description ? { description } : {}),
    });
    create.reset();
    setInvalid(check.success ? null : new Error(z.prettifyError(check.error)));
    if (check.success) create.mutate(check.data, { onSuccess: onCreated });
  }
  return (
    <form onSubmit={submit} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="webhook-form">
      <div className="grid gap-3 sm:grid-cols-[2fr_1fr]">
        <label className="text-sm">
          Endpoint URL
          <input name="url" required placeholder="https://hooks.example.com/switchyard" autoFocus className={`${input} font-mono`} />
        </label>
        <label className="text-sm">
          Description <span className="text-slate-400">(optional)</span>
          <input name="description" maxLength={200} placeholder="chat-ops bot" className={input} />
        </label>
      </div>
      <fieldset className="grid gap-3 text-sm sm:grid-cols-3">
        <legend className="mb-1 text-sm">Events</legend>
        {GROUPS.map((g) => (
          <div key={g} className="rounded-md border border-slate-200 p-2">
            <p className="mb-1 text-xs font-medium tracking-wide text-slate-500 uppercase">{g}</p>
            {WEBHOOK_EVENTS.filter((e) => e.startsWith(`${g}.`)).map((e) => (
              <label key={e} className="flex items-center gap-2 py-0.5">
                <input type="checkbox" name="events" value={e} defaultChecked />
                <span>{WEBHOOK_EVENT_LABELS[e]}</span>
                <code className="ml-auto font-mono text-[11px] text-slate-400">{e}</code>
              </label>
            ))}
          </div>
        ))}
      </fieldset>
      <p className="text-xs text-slate-500">
        Each message is signed as the Standard Webhooks specification describes (headers <code>webhook-id</code>,{" "}
        <code>webhook-timestamp</code>, <code>webhook-signature</code>); the signing secret is shown once, after you add the endpoint.
        Failed deliveries are retried with backoff for almost five hours (8 attempts).
      </p>
      <ErrorBox error={invalid ?? create.error} />
      <div className="flex gap-2">
        <button
          type="submit"
          disabled={create.isPending}
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-40"
        >
          {create.isPending ? "Adding…" : "Add endpoint"}
        </button>
        <button type="button" onClick={onCancel} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
          Cancel
        </button>
      </div>
    </form>
  );
}
