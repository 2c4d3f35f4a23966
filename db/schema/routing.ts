import { sqliteTable, text, integer } from "drizzle-orm/sqlite-core";

/**
 * Every reload of HAProxy Switchyard attempted for its managed routing
 * (server/routing/managed/): when, how long it took, whether the new
 * configuration was validated and taken by a new worker, and why not.
 */
export const haproxyReloads = sqliteTable("haproxy_reloads", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
  durationMs: integer("duration_ms").notNull(),
  /** ok: validated, written and a new worker answers; invalid: `haproxy -c` refused it (nothing changed); failed: the reload itself failed. */
  outcome: text("outcome", { enum: ["ok", "invalid", "failed"] }).notNull(),
  error: text("error"),
  /** What asked for it, e.g. "deploy web", "delete web", "reconcile" (coalesced requests joined by ", "). */
  trigger: text("trigger").notNull(),
});
