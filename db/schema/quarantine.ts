import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { QUARANTINE_STATUSES } from "./enums";

/**
 * Quarantined containers: out of traffic, kept for debugging, destroyed by a
 * durable timer (server/quarantine/quarantineTimers.ts). Names, service and
 * release are copied in, so the record outlives the release rows and the host.
 * The drift report reads (hostId, dockerId) to mark these as allowed to drift.
 */
export const quarantines = sqliteTable(
  "quarantines",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** release_containers.id of the quarantined container (no FK: the record outlives a deleted service). */
    releaseContainerId: integer("release_container_id").notNull(),
    hostId: integer("host_id").notNull(),
    hostName: text("host_name").notNull(),
    dockerId: text("docker_id").notNull(),
    originalName: text("original_name").notNull(),
    quarantinedName: text("quarantined_name").notNull(),
    serviceName: text("service_name").notNull(),
    releaseNumber: integer("release_number").notNull(),
    /** release_containers.id of the replacement started for it, once created. */
    replacementContainerId: integer("replacement_container_id"),
    operationId: integer("operation_id"),
    reason: text("reason").notNull(),
    quarantinedBy: text("quarantined_by").notNull(),
    quarantinedAt: integer("quarantined_at", { mode: "timestamp_ms" }).notNull(),
    /** When the timer destroys it; null once self-destruct is cancelled. */
    deadline: integer("deadline", { mode: "timestamp_ms" }),
    cancelReason: text("cancel_reason"),
    cancelledBy: text("cancelled_by"),
    cancelledAt: integer("cancelled_at", { mode: "timestamp_ms" }),
    /** When the warning before the deadline was given; reset by an extension. */
    warnedAt: integer("warned_at", { mode: "timestamp_ms" }),
    status: text("status", { enum: QUARANTINE_STATUSES }).notNull(),
    forensicsPath: text("forensics_path"),
    forensicsBytes: integer("forensics_bytes"),
    /** The cap on the bundle's copied files, in bytes, and whether it was reached. */
    forensicsCapBytes: integer("forensics_cap_bytes"),
    forensicsTruncated: integer("forensics_truncated", { mode: "boolean" }),
    /** SHA-256 (hex) of the stored .tar.gz, as also written in the destroy event. */
    forensicsSha256: text("forensics_sha256"),
    /** JSON: `docker top` when it was quarantined (ProcessSnapshot), for the bundle. */
    processesAtQuarantine: text("processes_at_quarantine"),
    /** JSON: whether it was cut off from its networks, the networks saved for a restore, or why not (NetworkIsolation). */
    networkIsolation: text("network_isolation"),
    /** Destroy attempts so far; an unreachable host is retried at nextAttemptAt (backoff). */
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    lastError: text("last_error"),
    destroyedBy: text("destroyed_by"),
    destroyedAt: integer("destroyed_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("quarantines_status").on(t.status), index("quarantines_host_container").on(t.hostId, t.dockerId)],
);

/** Every extension of a quarantine's deadline, append-only. */
export const quarantineExtensions = sqliteTable(
  "quarantine_extensions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    quarantineId: integer("quarantine_id")
      .notNull()
      .references(() => quarantines.id, { onDelete: "cascade" }),
    by: text("by").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    addedS: integer("added_s").notNull(),
    newDeadline: integer("new_deadline", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("quarantine_extensions_quarantine").on(t.quarantineId)],
);
