import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { db } from "@/db/client";
import { apiTokens } from "@/db/schema";
import { conflict, notFound } from "@/server/errors";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import type { Actor } from "./actor";
import { apiTokenRow } from "./apiTokenRows";
import { apiTokenView, type ApiTokenView } from "./apiTokenView";

/** Revokes a token at once: the actor's own, or anyone's for an admin. Other users' tokens look unknown (404). */
export function revokeApiToken(actor: Actor, id: number): ApiTokenView {
  const row = apiTokenRow(id);
  if (!row || (row.userId !== actor.userId && actor.role !== "admin")) throw notFound(`API token ${id}`);
  if (row.revokedAt) throw conflict(`API token '${row.name}' is already revoked.`);
  const revokedAt = new Date();
  const changed = db()
    .update(apiTokens)
    .set({ revokedAt })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .run().changes;
  if (changed === 0) throw conflict(`API token '${row.name}' is already revoked.`);
  recordEvent({
    actor: actor.username,
    actorRole: actor.role,
    sourceIp: actor.ip,
    action: "token.revoke",
    outcome: "ok",
    message: `API token '${row.name}' (${row.role}) of ${row.owner}`,
    detail: {
      before: { id: row.id, name: row.name, role: row.role, services: row.services, owner: row.owner, revokedAt: null },
      after: { revokedAt: revokedAt.getTime() },
    },
  });
  return apiTokenView({ ...row, revokedAt });
}
