import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { sessions } from "@/db/schema";
import type { Actor } from "./actor";
import { deleteAllSessions } from "./sessions";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";

export function logout(actor: Actor, everywhere: boolean): void {
  if (everywhere) deleteAllSessions(actor.userId);
  else if (actor.sessionId) db().delete(sessions).where(eq(sessions.id, actor.sessionId)).run();
  recordEvent({ ...actorFields(actor), action: everywhere ? "logout.everywhere" : "logout", outcome: "ok" });
}
