import "server-only";
import { desc, eq, type SQL } from "drizzle-orm";
import { db } from "@/db/client";
import { apiTokens, users } from "@/db/schema";
import type { ApiTokenRow } from "./apiTokenView";
import { parseTokenServices } from "./apiTokens";

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
