/**
 * The value lists of the schema's enum columns, so the schema reads on its own.
 * No imports: server/ constants re-export them with their types, and client
 * code reads them through those.
 */

// Users
export const ROLES = ["viewer", "operator", "admin"] as const;

// Releases
export const RELEASE_STATUSES = [
  "deploying", // containers being created / health-gated
  "candidate", // healthy, in preview (weight 0), not serving
  "live", // serving traffic
  "standby", // was live, drained, containers kept for rollback
  "retired", // containers removed
  "failed", // aborted; containers removed
] as const;
export const CONTAINER_SLOTS = ["blue", "green"] as const;

// Operations (recorded steps)
export const OPERATION_KINDS = [
  "deploy",
  "redeploy",
  "switch",
  "rollback",
  "retire",
  "reconcile",
  "quarantine",
  "shift",
  "rollout",
] as const;
export const OPERATION_STATUSES = ["running", "succeeded", "failed", "undone"] as const;
export const STEP_STATUSES = ["running", "done", "failed", "undone"] as const;

// Release log
export const EVENT_OUTCOMES = ["ok", "failed", "info"] as const;

// Quarantine
export const QUARANTINE_STATUSES = [
  "active", // out of traffic, kept for debugging, on its timer (or with the timer cancelled)
  "destroying", // forensics being collected, then stop and remove
  "destroyed", // forensic bundle stored, container removed
  "failed", // ended otherwise (see lastError): container already gone, host removed, or not quarantined after all (last container, replacement failed)
] as const;

// Drift
/** clean: as released · drifted: differs from its release · unaccounted: no release accounts for it (never touched) · allowed-to-drift: quarantined · unknown: could not be scanned fully. */
export const CONTAINER_VERDICTS = ["clean", "drifted", "unaccounted", "allowed-to-drift", "unknown"] as const;
export const SCAN_STATUSES = ["running", "done", "failed", "interrupted"] as const;
export const SCAN_TRIGGERS = ["schedule", "manual", "replace"] as const;
export const HOST_SCAN_STATUSES = ["running", "done", "unreachable"] as const;

// Rollouts (canary steps with an analysis gate)
export const ROLLOUT_STATUSES = [
  "running", // walking its steps (a timed step counts down, a manual one waits for Continue)
  "paused", // by an operator, or because the gate was inconclusive when a step ended
  "promoted", // the candidate went live (the Switch)
  "aborted", // candidate weight back to 0: a breach, an operator, or a gate that could not be evaluated
] as const;
export const GATE_VERDICTS = ["pass", "breach", "inconclusive"] as const;
// Webhooks
/** What an endpoint can subscribe to (see server/webhooks/webhookEvents.ts for the CDEvents-style types sent). */
export const WEBHOOK_EVENTS = [
  "release.deployed",
  "release.switched",
  "release.rolledback",
  "release.retired",
  "release.failed",
  "drift.new",
  "drift.resolved",
  "quarantine.created",
  "quarantine.warning",
  "quarantine.destroyed",
  "quarantine.cancelled",
] as const;
export const WEBHOOK_DELIVERY_STATUSES = [
  "pending", // waiting for its next attempt (nextAttemptAt)
  "sending", // an attempt is in flight (leaseUntil); a restart finds it pending again once the lease ends
  "delivered", // a 2xx answer
  "failed", // every attempt failed, or the endpoint was deleted
] as const;
