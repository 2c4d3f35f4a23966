import { sqliteTable, text, integer, real, index } from "drizzle-orm/sqlite-core";

/**
 * Traffic history: one row per HAProxy server per time bucket, written by the
 * recorder in server/live/ from the HAProxy sampler's 2 s `show stat` answers.
 * Counts are counter deltas (robust to HAProxy reloads and re-added servers);
 * rates are `requests / coveredMs`. Rows are 10 s buckets for 24 h, then
 * 5 min buckets (downsampled) until 7 days, then deleted (server/live/trafficRetention.ts).
 * Names are copied in (no foreign keys): the history outlives deleted services and releases.
 */
export const trafficSamples = sqliteTable(
  "traffic_samples",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Start of the bucket (epoch ms, a multiple of bucketS). */
    at: integer("at").notNull(),
    /** 10, or 300 once downsampled. */
    bucketS: integer("bucket_s").notNull(),
    serviceName: text("service_name").notNull(),
    releaseNumber: integer("release_number").notNull(),
    /** The release's status when the bucket closed: live, candidate, standby ... */
    releaseStatus: text("release_status").notNull(),
    hostName: text("host_name").notNull(),
    serverName: text("server_name").notNull(),
    /** HTTP requests (req_tot delta), main and preview backend together. */
    requests: integer("requests").notNull(),
    errors5xx: integer("errors_5xx").notNull(),
    /** Time the counter deltas cover (about bucketS; more after a sampler gap). */
    coveredMs: integer("covered_ms").notNull(),
    /** HAProxy's rtime (rolling average of the last 1024 requests), averaged over the readings that saw requests. */
    rtimeAvgMs: real("rtime_avg_ms"),
    /** Nearest-rank p95 of those rtime readings (2 s apart); for 5 min buckets, of the 10 s rows' p95. */
    rtimeP95Ms: real("rtime_p95_ms"),
  },
  (t) => [index("traffic_samples_service_at").on(t.serviceName, t.at), index("traffic_samples_bucket_at").on(t.bucketS, t.at)],
);
