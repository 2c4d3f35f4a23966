import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { db, type Db } from "@/db/client";
import { apiTokens, users } from "@/db/schema";
import { tokenHash } from "./tokenHash";
import { roleAllows, type Role } from "./roles";

export type TokenUser = { userId: number; username: string; role: Role; services: string[] | null };

/** The stored JSON list of a scoped token's services; null when it is not scoped. */
export function parseTokenServices(json: string | null): string[] | null {
  if (json === null) return null;
  const list: unknown = JSON.parse(json);
  return Array.isArray(list) ? list.filter((s): s is string => typeof s === "string") : [];
}

function lookup(d: Db) {
  return d
    .select({
      id: apiTokens.id,
      userId: users.id,
      username: users.username,
      userRole: users.role,
      tokenRole: apiTokens.role,
      services: apiTokens.services,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, sql.placeholder("hash")), isNull(apiTokens.revokedAt)))
    .prepare();
}
// Every API call looks its token up: prepared once per database connection.
const prepared = new WeakMap<Db, ReturnType<typeof lookup>>();

/** Resolves a Bearer token; its effective role is the lower of the token's scope and the user's role. */
export function tokenUser(token: string): TokenUser | null {
  const d = db();
  let stmt = prepared.get(d);
  if (!stmt) prepared.set(d, (stmt = lookup(d)));
  const row = stmt.get({ hash: tokenHash(token) });
  if (!row) return null;
  // To the minute, like sessions' last-seen time: a busy pipeline does not write on every call.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    d.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.id)).run();
  }
  const role = roleAllows(row.userRole, row.tokenRole) ? row.tokenRole : row.userRole;
  return { userId: row.userId, username: row.username, role, services: parseTokenServices(row.services) };
}
