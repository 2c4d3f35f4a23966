import "server-only";
import { eq } from "drizzle-orm";
import { apiTokens } from "@/db/schema";
import type { Actor } from "./actor";
import { apiTokenRows } from "./apiTokenRows";
import { apiTokenView, type ApiTokenView } from "./apiTokenView";

/** The actor's own tokens, revoked ones included; admins see every user's. */
export function listApiTokens(actor: Actor): ApiTokenView[] {
  const rows = actor.role === "admin" ? apiTokenRows() : apiTokenRows(eq(apiTokens.userId, actor.userId));
  return rows.map(apiTokenView);
}
