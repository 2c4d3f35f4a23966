import "server-only";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { conflict, notFound } from "@/server/errors";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { deliveryRow, requeueDelivery, webhookRow } from "./webhookRows";
import { wakeWebhookSender } from "./webhookSender";
import { maskedWebhookUrl } from "./webhookViews";

/** Queues a delivered or failed message again, with the same webhook-id (receivers drop what they already have). */
export function redeliverWebhook(actor: Actor, webhookId: number, deliveryId: number): { queued: number } {
  db().transaction((tx) => {
    const w = webhookRow(webhookId, tx);
    const d = deliveryRow(deliveryId, tx);
    if (!w || !d || d.webhookId !== webhookId) throw notFound(`Delivery ${deliveryId} of webhook ${webhookId}`);
    if (d.status === "pending" || d.status === "sending") throw conflict(`Delivery ${deliveryId} is already queued (${d.status}).`);
    if (!w.enabled) throw conflict(`Webhook ${webhookId} is disabled; enable it before redelivering.`);
    requeueDelivery(tx, deliveryId);
    recordEvent({
      ...actorFields(actor),
      action: "webhook.redeliver",
      outcome: "info",
      message: `delivery #${deliveryId} (${d.event}, ${d.messageId}) to ${maskedWebhookUrl(w.url)} queued again`,
    });
  });
  wakeWebhookSender();
  return { queued: deliveryId };
}
