import { z } from "zod";

const TOPIC = /^(fleet|drift|quarantine|releaseLog|host:(\d{1,12}|\*)|service:([a-z0-9][a-z0-9-]{0,62}|\*)|operation:(\d{1,12}|\*))$/;

/** GET /api/stream: which topics (comma-separated; all when absent) and where to resume. */
export const StreamQuery = z
  .object({
    topics: z
      .string()
      .max(4000)
      .optional()
      .transform((v) => (v ? v.split(",").map((t) => t.trim()) : null))
      .refine((ts) => !ts || ts.every((t) => TOPIC.test(t)), {
        message: "topics: comma-separated fleet, drift, quarantine, releaseLog, host:<id>, service:<name>, operation:<id> (or host:*, …)",
      }),
    /** For readers that cannot send the Last-Event-ID header (a new EventSource after a failed one). */
    lastEventId: z.string().max(64).optional(),
  })
  .strict();
