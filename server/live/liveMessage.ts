/**
 * One change message of the live stream (GET /api/stream). Most carry no data:
 * they name what changed, and the page refetches it (the APIs answer from the
 * samplers' snapshots, so that is cheap). Operation messages carry the operation
 * with its steps, which the page shows as they are.
 */
export type LiveTopic = "fleet" | `host:${number}` | `service:${string}` | `operation:${number}` | "drift" | "quarantine" | "releaseLog";

export type LiveMessage = {
  id: number;
  topic: LiveTopic;
  /** The service the change belongs to, if any: API tokens scoped to services see only theirs. */
  service: string | null;
  /** Epoch ms when it was published. */
  at: number;
  data?: unknown;
};

/** What the stream sends as an event's `data:` (the id travels as the SSE `id:`). */
export type LiveWireMessage = Omit<LiveMessage, "id">;
