import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { db } from "@/db/client";
import { apiTokens, users } from "@/db/schema";
import { tokenHash } from "./tokenHash";
import { roleAllows, type Role } from "./roles";

export type TokenUser = { userId: number; username: string; role: Role };

/** Resolves a Bearer token; its effective role is the lower of the token's scope and the user's role. */
export function tokenUser(token: string): TokenUser | null {
  const row = db()
    .select({ id: apiTokens.id, userId: users.id, username: users.username, userRole: users.role, tokenRole: apiTokens.role })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, tokenHash(token)), isNull(apiTokens.revokedAt)))
    .get();
  if (!row) return null;
  db().update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.id)).run();
  const role = roleAllows(row.userRole, row.tokenRole) ? row.tokenRole : row.userRole;
  return { userId: row.userId, username: row.username, role };
}
