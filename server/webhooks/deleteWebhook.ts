import "server-only";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { notFound } from "@/server/errors";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { deleteWebhookRow } from "./webhookRows";
import { loggedWebhook, maskedWebhookUrl } from "./webhookViews";

/** Removes an endpoint with its delivery history; messages still queued for it are dropped. */
export function deleteWebhook(actor: Actor, id: number): { deleted: number } {
  db().transaction((tx) => {
    const row = deleteWebhookRow(tx, id);
    if (!row) throw notFound(`Webhook ${id}`);
    recordEvent({
      ...actorFields(actor),
      action: "webhook.delete",
      outcome: "ok",
      message: `webhook #${id} → ${maskedWebhookUrl(row.url)}`,
      detail: { before: loggedWebhook(row) },
    });
  });
  return { deleted: id };
}
