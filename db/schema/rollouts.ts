import { sqliteTable, text, integer, real, index } from "drizzle-orm/sqlite-core";
import { operations } from "./operations";
import { releases, services } from "./releases";
import { GATE_VERDICTS, ROLLOUT_STATUSES } from "./enums";

/**
 * A canary rollout: the candidate walks the spec's `rollout.steps` (traffic
 * shares) while an analysis gate watches it. What a restarted server needs to
 * go on is here: the step, when it started, how much of it had elapsed before
 * a pause, and the plan as it was when the rollout started.
 */
export const rollouts = sqliteTable(
  "rollouts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    operationId: integer("operation_id")
      .notNull()
      .references(() => operations.id, { onDelete: "cascade" }),
    serviceId: integer("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    candidateReleaseId: integer("candidate_release_id")
      .notNull()
      .references(() => releases.id, { onDelete: "cascade" }),
    liveReleaseId: integer("live_release_id"),
    /** The spec's `rollout` (steps and analysis) as JSON, frozen at start. */
    plan: text("plan").notNull(),
    status: text("status", { enum: ROLLOUT_STATUSES }).notNull(),
    /** Why it is paused or how it ended (the breach with its measured values). */
    reason: text("reason"),
    stepIndex: integer("step_index").notNull(),
    stepStartedAt: integer("step_started_at", { mode: "timestamp_ms" }).notNull(),
    /** Milliseconds of the current step that had elapsed when it was paused (null while running). */
    pausedElapsedMs: integer("paused_elapsed_ms"),
    startedBy: text("started_by").notNull(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("rollouts_service").on(t.serviceId)],
);

/** One gate evaluation per HAProxy sample: the candidate and the live side over the analysis window. */
export const rolloutMeasurements = sqliteTable(
  "rollout_measurements",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    rolloutId: integer("rollout_id")
      .notNull()
      .references(() => rollouts.id, { onDelete: "cascade" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    stepIndex: integer("step_index").notNull(),
    /** The share the current step asks for (percent). */
    targetPercent: integer("target_percent").notNull(),
    windowS: real("window_s").notNull(),
    candidateRequests: integer("candidate_requests").notNull(),
    candidate5xx: integer("candidate_5xx").notNull(),
    candidateRps: real("candidate_rps").notNull(),
    candidateResponseMs: real("candidate_response_ms"),
    liveRequests: integer("live_requests").notNull(),
    live5xx: integer("live_5xx").notNull(),
    liveRps: real("live_rps").notNull(),
    liveResponseMs: real("live_response_ms"),
    /** This sample's own requests per side (since the previous sample): the measured share right now. */
    candidateSampleRequests: integer("candidate_sample_requests").notNull(),
    liveSampleRequests: integer("live_sample_requests").notNull(),
    verdict: text("verdict", { enum: GATE_VERDICTS }).notNull(),
    /** The limits breached, or why the result is inconclusive. */
    detail: text("detail"),
  },
  (t) => [index("rollout_measurements_rollout").on(t.rolloutId, t.at)],
);
