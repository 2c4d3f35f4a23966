import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { services } from "./releases";
import { OPERATION_KINDS, OPERATION_STATUSES, STEP_STATUSES } from "./enums";

/**
 * A long-running server-side operation (deploy, switch, rollback, retire, scan,
 * destroy). Steps are written before and after they run so that a restarted
 * server can finish or undo what was in flight.
 */
export const operations = sqliteTable(
  "operations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: OPERATION_KINDS }).notNull(),
    serviceId: integer("service_id").references(() => services.id, { onDelete: "cascade" }),
    releaseId: integer("release_id"),
    status: text("status", { enum: OPERATION_STATUSES }).notNull(),
    actor: text("actor").notNull(),
    input: text("input").notNull().default("{}"),
    error: text("error"),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("operations_service_status").on(t.serviceId, t.status)],
);

export const operationSteps = sqliteTable(
  "operation_steps",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    operationId: integer("operation_id")
      .notNull()
      .references(() => operations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    status: text("status", { enum: STEP_STATUSES }).notNull(),
    detail: text("detail"),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("operation_steps_operation").on(t.operationId)],
);
