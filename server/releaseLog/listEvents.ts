import "server-only";
import { and, desc, eq, like, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { events } from "@/db/schema";

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
  const where: SQL[] = [];
  if (q.service) where.push(eq(events.serviceName, q.service));
  if (q.actor) where.push(eq(events.actor, q.actor));
  if (q.action) where.push(like(events.action, q.action.replaceAll("*", "%")));
  if (q.before) where.push(lt(events.id, q.before));
  return db()
    .select()
    .from(events)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(events.id))
    .limit(q.limit)
    .all()
    .map((e) => ({ ...e, at: e.at.getTime(), detail: e.detail ? (JSON.parse(e.detail) as unknown) : null }));
}
/** One entry of GET /api/events */
export type ReleaseEvent = ReturnType<typeof listEvents>[number];
