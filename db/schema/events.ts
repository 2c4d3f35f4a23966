import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { EVENT_OUTCOMES } from "./enums";

/** The release log: append-only. Nothing ever updates or deletes a row. */
export const events = sqliteTable(
  "events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    actor: text("actor").notNull(),
    actorRole: text("actor_role"),
    sourceIp: text("source_ip"),
    action: text("action").notNull(),
    outcome: text("outcome", { enum: EVENT_OUTCOMES }).notNull(),
    serviceName: text("service_name"),
    releaseNumber: integer("release_number"),
    hostName: text("host_name"),
    containerName: text("container_name"),
    message: text("message"),
    /** JSON: before/after or other detail; never secret values. */
    detail: text("detail"),
  },
  (t) => [index("events_service").on(t.serviceName, t.at), index("events_at").on(t.at)],
);
