import "server-only";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { notFound } from "@/server/errors";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { WebhookPatch } from "./webhookInput";
import { updateWebhookRow, webhookRow } from "./webhookRows";
import type { WebhookView } from "./webhookView";
import { loggedWebhook, maskedWebhookUrl, webhookView } from "./webhookViews";

/** Changes an endpoint's URL, events, description or enabled flag (the secret stays). */
export function updateWebhook(actor: Actor, id: number, raw: WebhookPatch): WebhookView {
  const patch = WebhookPatch.parse(raw);
  const row = db().transaction((tx) => {
    const before = webhookRow(id, tx);
    if (!before) throw notFound(`Webhook ${id}`);
    const after = updateWebhookRow(tx, id, {
      ...(patch.url !== undefined && { url: patch.url }),
      ...(patch.events !== undefined && { events: JSON.stringify(patch.events) }),
      ...(patch.description !== undefined && { description: patch.description || null }),
      ...(patch.enabled !== undefined && { enabled: patch.enabled }),
    })!;
    recordEvent({
      ...actorFields(actor),
      action: "webhook.update",
      outcome: "ok",
      message: `webhook #${id} → ${maskedWebhookUrl(after.url)}`,
      detail: { before: loggedWebhook(before), after: loggedWebhook(after) },
    });
    return after;
  });
  return webhookView(row);
}
