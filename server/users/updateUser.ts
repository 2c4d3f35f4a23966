import "server-only";
import { and, eq, ne } from "drizzle-orm";
import { db } from "@/db/client";
import { sessions, users } from "@/db/schema";
import type { Actor } from "@/server/auth/actor";
import { revokeUserTokens } from "@/server/auth/apiTokenRows";
import { hashPassword } from "@/server/auth/password";
import { conflict } from "@/server/errors";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { otherAdmins, userRow, userView } from "./listUsers";
import { UserPatch } from "./userInput";
import { auditUser, type UserView } from "./userView";

/**
 * Changes a user's role and/or password, and ends their sessions (an admin
 * changing their own keeps the session they are using). API tokens: a new
 * password revokes all of the user's tokens (whoever knew the old password may
 * have made one); a lower role revokes the tokens whose role is above it (a
 * token's power is capped by its owner's role anyway, but would come back with
 * a later promotion). The last admin cannot be demoted.
 */
export async function updateUser(actor: Actor, id: number, raw: UserPatch): Promise<UserView> {
  const patch = UserPatch.parse(raw);
  const before = userRow(id);
  const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
  const { ended, tokensRevoked } = db().transaction(
    (tx) => {
      const current = tx.select().from(users).where(eq(users.id, id)).get();
      if (!current) throw conflict(`User ${before.username} was deleted meanwhile.`);
      if (current.role === "admin" && patch.role && patch.role !== "admin" && otherAdmins(tx, id) === 0) {
        throw conflict(`${current.username} is the last admin; make another user admin first.`);
      }
      tx.update(users)
        .set({ ...(patch.role ? { role: patch.role } : {}), ...(passwordHash ? { passwordHash } : {}) })
        .where(eq(users.id, id))
        .run();
      const keep = actor.userId === id && actor.sessionId ? ne(sessions.id, actor.sessionId) : undefined;
      const ended = tx
        .delete(sessions)
        .where(and(eq(sessions.userId, id), keep))
        .run().changes;
      const tokensRevoked = passwordHash ? revokeUserTokens(tx, id) : patch.role ? revokeUserTokens(tx, id, patch.role) : 0;
      return { ended, tokensRevoked };
    },
    { behavior: "immediate" },
  );
  const after = userRow(id);
  const changed = [before.role !== after.role ? `role ${before.role} → ${after.role}` : null, passwordHash ? "new password" : null].filter(
    Boolean,
  );
  recordEvent({
    actor: actor.username,
    actorRole: actor.role,
    sourceIp: actor.ip,
    action: "user.update",
    outcome: "ok",
    message: `user ${after.username}: ${changed.join(", ") || "no change"}; ${ended} session(s) ended; ${tokensRevoked} API token(s) revoked`,
    detail: {
      before: auditUser(before),
      after: { ...auditUser(after), passwordChanged: Boolean(passwordHash) },
      sessionsEnded: ended,
      tokensRevoked,
    },
  });
  return userView(id);
}
