import "server-only";
import { z } from "zod";
import { eventRows } from "./eventRows";

export const EventsQuery = z
  .object({
    service: z.string().max(64).optional(),
    actor: z.string().max(64).optional(),
    action: z.string().max(64).regex(/^[a-z.*-]+$/, "action: letters, '.', '-' and '*'").optional(),
    before: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(200),
    format: z.enum(["json"]).optional(),
  })
  .strict();
export type EventsQuery = z.infer<typeof EventsQuery>;

export function listEvents(q: EventsQuery) {
  return eventRows({ serviceName: q.service, actor: q.actor, action: q.action, beforeId: q.before, limit: q.limit }).map((e) => ({ ...e, at: e.at.getTime(), detail: e.detail ? (JSON.parse(e.detail) as unknown) : null }));
}
