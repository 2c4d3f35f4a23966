import "server-only";
import { and, desc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { db, type Db } from "@/db/client";
import { apiTokens, users } from "@/db/schema";
import type { ApiTokenRow } from "./apiTokenView";
import { parseTokenServices } from "./apiTokens";
import { ROLES, roleAllows, type Role } from "./roles";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Token rows with the owner's username; never the hash. Newest first. */
export function apiTokenRows(where?: SQL): ApiTokenRow[] {
  return db()
    .select({
      id: apiTokens.id,
      userId: apiTokens.userId,
      name: apiTokens.name,
      role: apiTokens.role,
      services: apiTokens.services,
      owner: users.username,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(where)
    .orderBy(desc(apiTokens.id))
    .all()
    .map((r) => ({ ...r, services: parseTokenServices(r.services) }));
}

export function apiTokenRow(id: number): ApiTokenRow | undefined {
  return apiTokenRows(eq(apiTokens.id, id))[0];
}

/**
 * Revokes a user's live tokens inside the caller's transaction: all of them,
 * or (with `above`) only those whose role is higher than that role. Returns how many.
 */
export function revokeUserTokens(tx: Tx, userId: number, above?: Role): number {
  const roles = ROLES.filter((r) => above === undefined || !roleAllows(above, r));
  if (roles.length === 0) return 0;
  return tx
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt), inArray(apiTokens.role, roles)))
    .run().changes;
}
