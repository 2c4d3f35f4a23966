import "server-only";
import type { WebhookEvent } from "./constants";
import { attemptsOf, deliveriesOf, webhookRows, type DeliveryRow, type WebhookRow } from "./webhookRows";
import type { DeliveryView, WebhookView } from "./webhookView";

/** An endpoint as admins see it, with counts over its last 500 deliveries; never the secret. */
export function webhookView(w: WebhookRow): WebhookView {
  const recent = deliveriesOf(w.id, 500);
  const last = recent[0];
  return {
    id: w.id,
    url: w.url,
    description: w.description,
    events: JSON.parse(w.events) as WebhookEvent[],
    enabled: w.enabled,
    createdBy: w.createdBy,
    createdAt: w.createdAt.getTime(),
    deliveries: {
      pending: recent.filter((d) => d.status === "pending" || d.status === "sending").length,
      delivered: recent.filter((d) => d.status === "delivered").length,
      failed: recent.filter((d) => d.status === "failed").length,
      lastStatusCode: last?.lastStatusCode ?? null,
      lastAt: last ? (last.deliveredAt ?? last.createdAt).getTime() : null,
    },
  };
}

/**
 * An endpoint's URL as the release log (readable by viewers) shows it: the
 * origin only, since many receivers put their own secret in the path or query.
 */
export function maskedWebhookUrl(url: string): string {
  const u = new URL(url);
  return u.pathname === "/" && !u.search ? `${u.origin}/` : `${u.origin}/…`;
}

/** What the release log keeps of an endpoint: never the secret, nor the URL's path. */
export function loggedWebhook(w: WebhookRow) {
  return { url: maskedWebhookUrl(w.url), events: JSON.parse(w.events) as string[], enabled: w.enabled, description: w.description };
}

export function listWebhooks(): WebhookView[] {
  return webhookRows().map(webhookView);
}

/** The endpoint's latest deliveries, newest first, each with its attempts and their answers. */
export function listDeliveries(webhookId: number, limit = 100): DeliveryView[] {
  const rows: DeliveryRow[] = deliveriesOf(webhookId, limit);
  const attempts = attemptsOf(rows.map((d) => d.id));
  return rows.map((d) => ({
    id: d.id,
    messageId: d.messageId,
    event: d.event as WebhookEvent,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt?.getTime() ?? null,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    createdAt: d.createdAt.getTime(),
    deliveredAt: d.deliveredAt?.getTime() ?? null,
    releaseLogEventId: d.eventId,
    payload: d.payload,
    history: attempts
      .filter((a) => a.deliveryId === d.id)
      .map((a) => ({ at: a.at.getTime(), statusCode: a.statusCode, error: a.error, durationMs: a.durationMs, trigger: a.trigger })),
  }));
}
