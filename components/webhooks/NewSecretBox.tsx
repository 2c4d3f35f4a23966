"use client";
import { CopyField } from "@/components/tokens/CopyField";
import type { CreatedWebhook } from "./queries";

/** The only time the signing secret is shown, with how a receiver checks a message. */
export function NewSecretBox({ created, onDone }: { created: CreatedWebhook; onDone: () => void }) {
  const verify = [
    "// Node.js receiver: verify before trusting the body (raw body, as received)",
    "const key = Buffer.from(secret.slice('whsec_'.length), 'base64');",
    "const signed = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${rawBody}`;",
    "const expected = 'v1,' + crypto.createHmac('sha256', key).update(signed).digest('base64');",
    "const ok = headers['webhook-signature'].split(' ').includes(expected);",
  ].join("\n");
  return (
    <div className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4" role="status" data-testid="new-webhook-secret">
      <p className="text-sm font-medium text-amber-900">
        Endpoint {created.webhook.url} added. Copy its signing secret now: it will not be shown again.
      </p>
      <CopyField value={created.secret} label="Signing secret" />
      <p className="text-sm text-slate-700">
        Any Standard Webhooks library verifies these messages with this secret; by hand it is (also reject timestamps more than five minutes
        old, and drop a <code className="font-mono text-xs">webhook-id</code> you have already handled):
      </p>
      <CopyField value={verify} label="Verification example" multiline rows={5} />
      <button type="button" onClick={onDone} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white">
        I have copied it
      </button>
    </div>
  );
}
