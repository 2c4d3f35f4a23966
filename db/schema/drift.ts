import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { hosts } from "./hosts";
import { CONTAINER_VERDICTS, HOST_SCAN_STATUSES, SCAN_STATUSES, SCAN_TRIGGERS } from "./enums";

/** One drift scan of the fleet: an operation with progress (hosts report as they finish). */
export const driftScans = sqliteTable("drift_scans", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  trigger: text("trigger", { enum: SCAN_TRIGGERS }).notNull(),
  actor: text("actor").notNull(),
  status: text("status", { enum: SCAN_STATUSES }).notNull(),
  hostsTotal: integer("hosts_total").notNull().default(0),
  error: text("error"),
  startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
  finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
});

/** One host within a scan: reachability, engine facts, progress, and notes (e.g. a container that vanished mid-scan). */
export const driftScanHosts = sqliteTable(
  "drift_scan_hosts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    scanId: integer("scan_id")
      .notNull()
      .references(() => driftScans.id, { onDelete: "cascade" }),
    hostId: integer("host_id")
      .notNull()
      .references(() => hosts.id, { onDelete: "cascade" }),
    hostName: text("host_name").notNull(),
    status: text("status", { enum: HOST_SCAN_STATUSES }).notNull(),
    /** JSON of the engine facts compared for host drift; null when unreachable. */
    engine: text("engine"),
    error: text("error"),
    /** JSON string[]. */
    notes: text("notes").notNull().default("[]"),
    containersTotal: integer("containers_total").notNull().default(0),
    containersDone: integer("containers_done").notNull().default(0),
    /** JSON: containers of the previous scan that are gone now, with what they had drifted ({ name, verdict, keys }). */
    gone: text("gone").notNull().default("[]"),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("drift_scan_hosts_scan").on(t.scanId), index("drift_scan_hosts_host").on(t.hostId, t.id)],
);

/** One container in one scan: what it is, what was found (raw), and the verdict under the ignore rules. History per container = its rows by docker ID. */
export const driftResults = sqliteTable(
  "drift_results",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    scanHostId: integer("scan_host_id")
      .notNull()
      .references(() => driftScanHosts.id, { onDelete: "cascade" }),
    scanId: integer("scan_id").notNull(),
    dockerId: text("docker_id").notNull(),
    name: text("name").notNull(),
    image: text("image").notNull(),
    state: text("state").notNull(),
    serviceName: text("service_name"),
    releaseId: integer("release_id"),
    releaseNumber: integer("release_number"),
    releaseStatus: text("release_status"),
    accounted: integer("accounted", { mode: "boolean" }).notNull(),
    quarantined: integer("quarantined", { mode: "boolean" }).notNull().default(false),
    incomplete: integer("incomplete", { mode: "boolean" }).notNull().default(false),
    note: text("note"),
    /** JSON Finding[] (image, config, registry); secret values are never in it. */
    findings: text("findings").notNull().default("[]"),
    /** drift_change_sets.hash of the filesystem changes; null when there were none or they were not read. */
    changeSet: text("change_set"),
    changesTotal: integer("changes_total").notNull().default(0),
    verdict: text("verdict", { enum: CONTAINER_VERDICTS }).notNull(),
    changesIgnored: integer("changes_ignored").notNull().default(0),
    changesEffective: integer("changes_effective").notNull().default(0),
    findingsEffective: integer("findings_effective").notNull().default(0),
    newCount: integer("new_count").notNull().default(0),
    resolvedCount: integer("resolved_count").notNull().default(0),
    /** JSON { added: string[], resolved: string[] } (the first keys of each). */
    delta: text("delta").notNull().default('{"added":[],"resolved":[]}'),
    durationMs: integer("duration_ms").notNull().default(0),
    scannedAt: integer("scanned_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("drift_results_scan_host").on(t.scanHostId), index("drift_results_docker").on(t.dockerId, t.id)],
);

/** Filesystem change lists, stored once per distinct content (a container that does not change shares one row across scans). */
export const driftChangeSets = sqliteTable("drift_change_sets", {
  hash: text("hash").primaryKey(),
  count: integer("count").notNull(),
  /** JSON [kind, path][], kind 0 changed, 1 added, 2 deleted. */
  changes: text("changes").notNull(),
});

/** Expected noise: a path prefix or glob, global (service null) or for one service. Deleting keeps the row (deletedAt) for the audit. */
export const driftIgnoreRules = sqliteTable("drift_ignore_rules", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  pattern: text("pattern").notNull(),
  serviceName: text("service_name"),
  note: text("note").notNull().default(""),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
});
