import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import type { Actor } from "@/server/auth/actor";
import { conflict } from "@/server/errors";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { otherAdmins, userRow } from "./listUsers";
import { auditUser } from "./userView";

/** Deletes a user with their sessions and API tokens. Never yourself, never the last admin. */
export function deleteUser(actor: Actor, id: number): void {
  const before = userRow(id);
  if (before.id === actor.userId) throw conflict("You cannot delete yourself; another admin can.");
  db().transaction(
    (tx) => {
      const current = tx.select({ role: users.role }).from(users).where(eq(users.id, id)).get();
      if (!current) throw conflict(`User ${before.username} was deleted meanwhile.`);
      if (current.role === "admin" && otherAdmins(tx, id) === 0) throw conflict(`${before.username} is the last admin.`);
      tx.delete(users).where(eq(users.id, id)).run();
    },
    { behavior: "immediate" },
  );
  recordEvent({
    actor: actor.username,
    actorRole: actor.role,
    sourceIp: actor.ip,
    action: "user.delete",
    outcome: "ok",
    message: `user ${before.username} (${before.role}) with their sessions and API tokens`,
    detail: { before: auditUser(before) },
  });
}
