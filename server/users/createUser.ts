import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import type { Actor } from "@/server/auth/actor";
import { hashPassword } from "@/server/auth/password";
import { conflict } from "@/server/errors";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { userView } from "./listUsers";
import { UserInput } from "./userInput";
import { auditUser, type UserView } from "./userView";

/** Creates a user with a role and an initial password (admins only; audited without the password). */
export async function createUser(actor: Actor, raw: UserInput): Promise<UserView> {
  const input = UserInput.parse(raw);
  const taken = () => db().select({ id: users.id }).from(users).where(eq(users.username, input.username)).get();
  if (taken()) throw conflict(`A user named '${input.username}' already exists.`);
  const passwordHash = await hashPassword(input.password);
  const row = db().transaction((tx) => {
    if (tx.select({ id: users.id }).from(users).where(eq(users.username, input.username)).get()) {
      throw conflict(`A user named '${input.username}' already exists.`);
    }
    return tx
      .insert(users)
      .values({ username: input.username, passwordHash, role: input.role, createdAt: new Date() })
      .returning({ id: users.id, username: users.username, role: users.role, createdAt: users.createdAt })
      .get();
  });
  recordEvent({
    actor: actor.username,
    actorRole: actor.role,
    sourceIp: actor.ip,
    action: "user.create",
    outcome: "ok",
    message: `user ${row.username} (${row.role})`,
    detail: { after: auditUser(row) },
  });
  return userView(row.id);
}
