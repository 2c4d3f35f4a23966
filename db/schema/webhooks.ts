import { sqliteTable, text, integer, index, uniqueIndex } from "drizzle-orm/sqlite-core";
import { WEBHOOK_DELIVERY_STATUSES } from "./enums";

/** Endpoints that receive signed events (Standard Webhooks). */
export const webhooks = sqliteTable("webhooks", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  url: text("url").notNull(),
  description: text("description"),
  /** JSON array of WEBHOOK_EVENTS names. */
  events: text("events").notNull(),
  /** `whsec_` + base64 of the key: needed to sign, so stored; never returned after creation, never logged. */
  secret: text("secret").notNull(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * One message to one endpoint (the outbox): written in the same transaction as
 * the release-log event it reports, so a crash cannot lose it; sent until a 2xx.
 * messageId is the `webhook-id` header: the same on every attempt and redelivery,
 * so receivers can drop duplicates.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    webhookId: integer("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    messageId: text("message_id").notNull(),
    /** The release-log event it reports. */
    eventId: integer("event_id"),
    event: text("event").notNull(),
    /** The exact JSON body sent (signed as is). */
    payload: text("payload").notNull(),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    leaseUntil: integer("lease_until", { mode: "timestamp_ms" }),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    deliveredAt: integer("delivered_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_message").on(t.webhookId, t.messageId),
    index("webhook_deliveries_due").on(t.status, t.nextAttemptAt),
  ],
);

/** Every attempt of a delivery, with the answer's status code (or the error). */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    deliveryId: integer("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    /** "retry" or "redeliver <user>" */
    trigger: text("trigger").notNull(),
  },
  (t) => [index("webhook_attempts_delivery").on(t.deliveryId)],
);
