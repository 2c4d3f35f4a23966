import type { Actor } from "@/server/auth/actor";
import type { LiveMessage } from "./liveMessage";

/**
 * Pure: whether a reader sees a message. `topics` is the reader's filter (exact
 * topics, or `host:*`, `service:*`, `operation:*`), null for every topic. A
 * token scoped to services sees only messages of those services.
 */
export function liveMessageVisible(m: LiveMessage, topics: readonly string[] | null, actor: Pick<Actor, "services">): boolean {
  if (actor.services && (m.service === null || !actor.services.includes(m.service))) return false;
  if (!topics) return true;
  return topics.some((t) => t === m.topic || (t.endsWith(":*") && m.topic.startsWith(t.slice(0, -1))));
}
