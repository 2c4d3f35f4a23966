import "server-only";
import { z } from "zod";
import type { Role } from "@/server/auth/roles";
import { ADMIN_ONLY } from "./constants";
import { eventRows } from "./eventRows";

export const EventsQuery = z
  .object({
    service: z.string().max(64).optional(),
    actor: z.string().max(64).optional(),
    action: z
      .string()
      .max(64)
      .regex(/^[a-z.*-]+$/, "action: letters, '.', '-' and '*'")
      .optional(),
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
  return eventRows({ serviceName: q.service, actor: q.actor, action: q.action, beforeId: q.before, limit: q.limit }).map((e) => ({
    ...e,
    at: e.at.getTime(),
    detail: detailFor(reader, e.detail),
  }));
}
/** One entry of GET /api/events */
export type ReleaseEvent = ReturnType<typeof listEvents>[number];
