import "server-only";
import type { EventOutcome } from "./constants";
import { db } from "@/db/client";
import { enqueueWebhookDeliveries } from "@/server/webhooks/enqueueWebhookDeliveries";
import { insertEvent } from "./eventRows";
import { publishReleaseEvent } from "@/server/live/publishChanges";

export type EventInput = {
  actor: string;
  actorRole?: string | null;
  sourceIp?: string | null;
  action: string;
  outcome: EventOutcome;
  serviceName?: string | null;
  releaseNumber?: number | null;
  hostName?: string | null;
  containerName?: string | null;
  message?: string | null;
  detail?: unknown;
};

/**
 * Appends one event to the release log (append-only) and, in the same
 * transaction, the webhook deliveries it causes: an event is never recorded
 * without its deliveries, nor a delivery without its event.
 */
export function recordEvent(e: EventInput): void {
  db().transaction((tx) => {
    const row = insertEvent(tx, {
      at: new Date(),
      actor: e.actor,
      actorRole: e.actorRole ?? null,
      sourceIp: e.sourceIp ?? null,
      action: e.action,
      outcome: e.outcome,
      serviceName: e.serviceName ?? null,
      releaseNumber: e.releaseNumber ?? null,
      hostName: e.hostName ?? null,
      containerName: e.containerName ?? null,
      message: e.message ?? null,
      detail: e.detail === undefined ? null : JSON.stringify(e.detail),
    });
    enqueueWebhookDeliveries(tx, row);
  });
  publishReleaseEvent(e.serviceName);
}
