/** Shared with client components: no server imports here. */
import { WEBHOOK_EVENTS, WEBHOOK_DELIVERY_STATUSES } from "@/db/schema/enums";

export { WEBHOOK_EVENTS, WEBHOOK_DELIVERY_STATUSES };
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * The CDEvents type each event is sent as. Service events use the CDEvents
 * vocabulary (a switch upgrades the service, a retire removes the old version);
 * the rest are custom events named the way CDEvents asks custom events to be
 * (`dev.cdeventsx.<tool>-<subject>.<predicate>.<version>`).
 */
export const CDEVENT_TYPES: Record<WebhookEvent, string> = {
  "release.deployed": "dev.cdevents.service.deployed.0.2.0",
  "release.switched": "dev.cdevents.service.upgraded.0.2.0",
  "release.rolledback": "dev.cdevents.service.rolledback.0.2.0",
  "release.retired": "dev.cdevents.service.removed.0.2.0",
  "release.failed": "dev.cdeventsx.switchyard-release.failed.0.1.0",
  "drift.new": "dev.cdeventsx.switchyard-drift.detected.0.1.0",
  "drift.resolved": "dev.cdeventsx.switchyard-drift.resolved.0.1.0",
  "quarantine.created": "dev.cdeventsx.switchyard-quarantine.created.0.1.0",
  "quarantine.warning": "dev.cdeventsx.switchyard-quarantine.warned.0.1.0",
  "quarantine.destroyed": "dev.cdeventsx.switchyard-quarantine.destroyed.0.1.0",
  "quarantine.cancelled": "dev.cdeventsx.switchyard-quarantine.cancelled.0.1.0",
};

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  "release.deployed": "Release deployed (candidate ready)",
  "release.switched": "Traffic switched",
  "release.rolledback": "Rolled back",
  "release.retired": "Standby retired",
  "release.failed": "Release operation failed",
  "drift.new": "New drift found",
  "drift.resolved": "Drift resolved",
  "quarantine.created": "Container quarantined",
  "quarantine.warning": "Self-destruct warning",
  "quarantine.destroyed": "Quarantined container destroyed",
  "quarantine.cancelled": "Self-destruct cancelled",
};

/**
 * Pure: the webhook event a release-log entry is, or null when it is none.
 * The release log is the one source: every state change worth telling other
 * tools about is recorded there first.
 */
export function webhookEventOf(action: string, outcome: string): WebhookEvent | null {
  if (outcome === "failed" && /^release\.(deploy|redeploy|switch|rollback|retire)$/.test(action)) return "release.failed";
  if (outcome === "failed") return null;
  switch (action) {
    case "release.candidate":
      return "release.deployed";
    case "release.switch":
      return "release.switched";
    case "release.rollback":
      return "release.rolledback";
    case "release.retire":
      return "release.retired";
    case "drift.detected":
      return "drift.new";
    case "drift.resolved":
      return "drift.resolved";
    case "quarantine.start":
      return "quarantine.created";
    case "quarantine.warning":
      return "quarantine.warning";
    case "quarantine.destroy":
      return "quarantine.destroyed";
    case "quarantine.cancel":
      return "quarantine.cancelled";
    default:
      return null;
  }
}
