import "server-only";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import { db, type Db } from "@/db/client";
import { sessions, users } from "@/db/schema";
import { config } from "@/server/config";
import { newToken, tokenHash } from "./tokenHash";
import type { Role } from "./roles";

export const SESSION_COOKIE = "switchyard_session";

export type SessionUser = { userId: number; username: string; role: Role; sessionId: string };

export function createSession(userId: number): { token: string; expiresAt: Date } {
  const token = newToken("sys");
  const now = Date.now();
  const expiresAt = new Date(now + config().SWITCHYARD_SESSION_TTL_HOURS * 3600_000);
  db()
    .insert(sessions)
    .values({ id: tokenHash(token), userId, createdAt: new Date(now), expiresAt, lastSeenAt: new Date(now) })
    .run();
  db()
    .delete(sessions)
    .where(lt(sessions.expiresAt, new Date(now)))
    .run();
  return { token, expiresAt };
}

function lookup(d: Db) {
  return d
    .select({ userId: users.id, username: users.username, role: users.role, sessionId: sessions.id, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sql.placeholder("id")), gt(sessions.expiresAt, sql.placeholder("now"))))
    .prepare();
}
// Every request looks its session up: prepared once per database connection.
const prepared = new WeakMap<Db, ReturnType<typeof lookup>>();

export function sessionUser(token: string | undefined): SessionUser | null {
  if (!token) return null;
  const id = tokenHash(token);
  const d = db();
  let stmt = prepared.get(d);
  if (!stmt) prepared.set(d, (stmt = lookup(d)));
  const row = stmt.get({ id, now: Date.now() });
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > 60_000) {
    db().update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, id)).run();
  }
  return { userId: row.userId, username: row.username, role: row.role, sessionId: row.sessionId };
}

export function deleteSession(token: string): void {
  db()
    .delete(sessions)
    .where(eq(sessions.id, tokenHash(token)))
    .run();
}

export function deleteAllSessions(userId: number): void {
  db().delete(sessions).where(eq(sessions.userId, userId)).run();
}
