import "server-only";
import { and, desc, eq, like, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { events } from "@/db/schema";
import type { Role } from "@/server/auth/roles";
import { ADMIN_ONLY } from "./constants";

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

/** An event's detail as `reader` may see it: the admin-only part is removed for everyone else. */
function detailFor(reader: Role, detailJson: string | null): unknown {
  if (!detailJson) return null;
  const detail = JSON.parse(detailJson) as unknown;
  if (reader === "admin" || !detail || typeof detail !== "object" || !(ADMIN_ONLY in detail)) return detail;
  const { [ADMIN_ONLY]: _hidden, ...rest } = detail as Record<string, unknown>;
  return rest;
}

export function listEvents(q: EventsQuery, reader: Role) {
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
    .map((e) => ({ ...e, at: e.at.getTime(), detail: detailFor(reader, e.detail) }));
}
