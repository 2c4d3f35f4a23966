import type { WebhookDeliveryStatus, WebhookEvent } from "./constants";

/** What an admin sees of an endpoint: never its secret (shown once, at creation). */
export type WebhookView = {
  id: number;
  url: string;
  description: string | null;
  events: WebhookEvent[];
  enabled: boolean;
  createdBy: string;
  createdAt: number;
  deliveries: { pending: number; delivered: number; failed: number; lastStatusCode: number | null; lastAt: number | null };
};

export type AttemptView = { at: number; statusCode: number | null; error: string | null; durationMs: number; trigger: string };

export type DeliveryView = {
  id: number;
  messageId: string;
  event: WebhookEvent;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
  releaseLogEventId: number | null;
  /** The exact body sent (no secrets: built from the release log, which holds none). */
  payload: string;
  history: AttemptView[];
};
