import "server-only";
import { liveBus } from "./liveBus";
import type { LiveTopic } from "./liveMessage";
import { operationForLive } from "./liveRows";

const pending = new Map<string, NodeJS.Timeout>();

/** Bursts (a scan's hosts, a quarantine's row updates) become one message: the first change arms a short timer. */
function coalesced(key: string, ms: number, publish: () => void): void {
  if (pending.has(key)) return;
  const t = setTimeout(() => {
    pending.delete(key);
    try {
      publish();
    } catch (err) {
      console.error(`[switchyard] live publish ${key} failed:`, err);
    }
  }, ms);
  t.unref();
  pending.set(key, t);
}

export function publishTopic(topic: LiveTopic, service: string | null = null, ms = 50): void {
  coalesced(`${topic}|${service ?? ""}`, ms, () => liveBus().publish(topic, { service }));
}

/**
 * An operation's step or status changed: publishes `operation:<id>` with the
 * operation and its steps as they are now (read when the message goes out, so
 * a burst of steps is one message with the latest state).
 */
export function publishOperation(opId: number): void {
  coalesced(`operation:${opId}`, 30, () => {
    const found = operationForLive(opId);
    if (found) liveBus().publish(`operation:${opId}`, { service: found.service, data: found.operation });
  });
}

/** A release-log event was recorded. */
export function publishReleaseEvent(serviceName: string | null | undefined): void {
  publishTopic("releaseLog", serviceName ?? null, 100);
}

/** A drift scan started, progressed on a host, or ended. */
export function publishDrift(): void {
  publishTopic("drift", null, 200);
}

/** A quarantine was created or changed (status, deadline, replacement). */
export function publishQuarantine(): void {
  publishTopic("quarantine", null, 100);
}
