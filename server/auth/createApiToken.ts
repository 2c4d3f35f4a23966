import "server-only";
import { inArray } from "drizzle-orm";
import { db } from "@/db/client";
import { apiTokens, services } from "@/db/schema";
import { AppError, invalid } from "@/server/errors";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import type { Actor } from "./actor";
import { ApiTokenInput } from "./apiTokenInput";
import { apiTokenView, type ApiTokenView } from "./apiTokenView";
import { roleAllows } from "./roles";
import { newToken, tokenHash } from "./tokenHash";

/**
 * Creates an API token for the actor, with a role no higher than their own.
 * The secret is returned here once; only its keyed hash is stored.
 */
export function createApiToken(actor: Actor, raw: ApiTokenInput): { token: string; apiToken: ApiTokenView } {
  if (actor.via === "token") throw new AppError("FORBIDDEN", "API tokens cannot create tokens; create tokens from a browser session.");
  const input = ApiTokenInput.parse(raw);
  if (!roleAllows(actor.role, input.role)) {
    throw new AppError("FORBIDDEN", `A token's role cannot be above your own: you are ${actor.role}, the token asks for ${input.role}.`);
  }
  const scope = input.services ?? null;
  if (scope) {
    const known = new Set(
      db()
        .select({ name: services.name })
        .from(services)
        .where(inArray(services.name, scope))
        .all()
        .map((r) => r.name),
    );
    const unknown = scope.filter((n) => !known.has(n));
    if (unknown.length) throw invalid(`services: no service named ${unknown.map((n) => `'${n}'`).join(", ")}`);
  }
  const token = newToken("syt");
  const row = db()
    .insert(apiTokens)
    .values({
      userId: actor.userId,
      name: input.name,
      tokenHash: tokenHash(token),
      role: input.role,
      services: scope && JSON.stringify(scope),
      createdAt: new Date(),
    })
    .returning({ id: apiTokens.id, userId: apiTokens.userId, name: apiTokens.name, role: apiTokens.role, createdAt: apiTokens.createdAt })
    .get();
  recordEvent({
    actor: actor.username,
    actorRole: actor.role,
    sourceIp: actor.ip,
    action: "token.create",
    outcome: "ok",
    message: `API token '${row.name}' (${row.role}${scope ? `, limited to ${scope.join(", ")}` : ""})`,
    detail: { after: { id: row.id, name: row.name, role: row.role, services: scope, owner: actor.username } },
  });
  return { token, apiToken: apiTokenView({ ...row, services: scope, owner: actor.username, lastUsedAt: null, revokedAt: null }) };
}
export type CreatedApiToken = ReturnType<typeof createApiToken>;
