import { sqliteTable, text, integer, uniqueIndex, index } from "drizzle-orm/sqlite-core";
import { hosts } from "./hosts";
import { RELEASE_STATUSES, CONTAINER_SLOTS } from "./enums";

export const services = sqliteTable("services", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  /** JSON of ServiceSpec (the zod schema in server/services/serviceSpecInput.ts). */
  spec: text("spec").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/** Immutable record of what was deployed: pinned by digest, with the spec snapshot. */
export const releases = sqliteTable(
  "releases",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    serviceId: integer("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    imageRef: text("image_ref").notNull(),
    imageDigest: text("image_digest"),
    imageId: text("image_id"),
    spec: text("spec").notNull(),
    status: text("status", { enum: RELEASE_STATUSES }).notNull(),
    failureReason: text("failure_reason"),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    liveSince: integer("live_since", { mode: "timestamp_ms" }),
    standbySince: integer("standby_since", { mode: "timestamp_ms" }),
    retiredAt: integer("retired_at", { mode: "timestamp_ms" }),
    /** While a candidate: its share of the main backend's traffic in percent (0 = preview only), set by a shift (server/releases/shiftTraffic.ts). */
    trafficSharePercent: integer("traffic_share_percent").notNull().default(0),
  },
  (t) => [uniqueIndex("releases_service_number").on(t.serviceId, t.number)],
);

/** Containers Switchyard created, one release each. */
export const releaseContainers = sqliteTable(
  "release_containers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    releaseId: integer("release_id")
      .notNull()
      .references(() => releases.id, { onDelete: "cascade" }),
    hostId: integer("host_id")
      .notNull()
      .references(() => hosts.id),
    slot: text("slot", { enum: CONTAINER_SLOTS }).notNull(),
    name: text("name").notNull(),
    dockerId: text("docker_id"),
    port: integer("port").notNull(),
    /** HAProxy server name inside the service backend. */
    serverName: text("server_name").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    removedAt: integer("removed_at", { mode: "timestamp_ms" }),
    /** Set when quarantined: never routed again, and removed only by its quarantine timer (server/quarantine/). */
    quarantinedAt: integer("quarantined_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("release_containers_release").on(t.releaseId)],
);
