import "server-only";
import { and, asc, count, eq, gt, isNull, ne } from "drizzle-orm";
import { db, type Db } from "@/db/client";
import { apiTokens, sessions, users } from "@/db/schema";
import { notFound } from "@/server/errors";
import type { UserRow, UserView } from "./userView";

/** Every user with their live sessions and unrevoked tokens, by name. */
export function listUsers(): UserView[] {
  const now = new Date();
  const sessionCounts = new Map(
    db()
      .select({ userId: sessions.userId, n: count() })
      .from(sessions)
      .where(gt(sessions.expiresAt, now))
      .groupBy(sessions.userId)
      .all()
      .map((r) => [r.userId, r.n]),
  );
  const tokenCounts = new Map(
    db()
      .select({ userId: apiTokens.userId, n: count() })
      .from(apiTokens)
      .where(isNull(apiTokens.revokedAt))
      .groupBy(apiTokens.userId)
      .all()
      .map((r) => [r.userId, r.n]),
  );
  return db()
    .select({ id: users.id, username: users.username, role: users.role, createdAt: users.createdAt })
    .from(users)
    .orderBy(asc(users.username))
    .all()
    .map((u) => ({ ...u, createdAt: u.createdAt.getTime(), sessions: sessionCounts.get(u.id) ?? 0, tokens: tokenCounts.get(u.id) ?? 0 }));
}

export function userRow(id: number): UserRow {
  const row = db()
    .select({ id: users.id, username: users.username, role: users.role, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, id))
    .get();
  if (!row) throw notFound(`User ${id}`);
  return row;
}

export function userView(id: number): UserView {
  const u = listUsers().find((x) => x.id === id);
  if (!u) throw notFound(`User ${id}`);
  return u;
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** How many admins there are besides `exceptId`: a change that would leave none is refused. */
export function otherAdmins(tx: Tx, exceptId: number): number {
  return (
    tx
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, "admin"), ne(users.id, exceptId)))
      .get()?.n ?? 0
  );
}
