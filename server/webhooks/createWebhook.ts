import "server-only";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { WebhookInput } from "./webhookInput";
import { newWebhookSecret } from "./webhookSignature";
import { insertWebhook } from "./webhookRows";
import type { WebhookView } from "./webhookView";
import { loggedWebhook, maskedWebhookUrl, webhookView } from "./webhookViews";

/** Adds an endpoint. The signing secret is in this answer only: it is never shown again nor logged. */
export function createWebhook(actor: Actor, raw: WebhookInput): { secret: string; webhook: WebhookView } {
  const input = WebhookInput.parse(raw);
  const secret = newWebhookSecret();
  const row = db().transaction((tx) => {
    const w = insertWebhook(tx, {
      url: input.url,
      description: input.description || null,
      events: JSON.stringify(input.events),
      secret,
      enabled: true,
      createdBy: actor.username,
      createdAt: new Date(),
    });
    recordEvent({
      ...actorFields(actor),
      action: "webhook.create",
      outcome: "ok",
      message: `webhook #${w.id} → ${maskedWebhookUrl(w.url)}`,
      detail: { after: loggedWebhook(w) },
    });
    return w;
  });
  return { secret, webhook: webhookView(row) };
}
