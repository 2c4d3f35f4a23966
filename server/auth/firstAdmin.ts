import "server-only";
import { count, eq } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { config } from "@/server/config";
import { AppError } from "@/server/errors";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { Password, Username } from "@/server/users/userInput";
import { revokeUserTokens } from "./apiTokenRows";
import { hashPassword, verifyPassword } from "./password";
import { deleteAllSessions } from "./sessions";

export const FirstAdminInput = z.object({ username: Username, password: Password });

export function hasUsers(): boolean {
  return (db().select({ n: count() }).from(users).get()?.n ?? 0) > 0;
}

/** First-run setup: creates the admin only while no user exists. */
export async function createFirstAdmin(input: z.infer<typeof FirstAdminInput>, ip: string | null) {
  // Checked before hashing too, so that requests after setup cost no argon2 work.
  if (hasUsers()) throw new AppError("CONFLICT", "Setup is already done: an account exists. Log in instead.");
  const passwordHash = await hashPassword(input.password);
  const created = db().transaction((tx) => {
    if ((tx.select({ n: count() }).from(users).get()?.n ?? 0) > 0) return false;
    tx.insert(users).values({ username: input.username, passwordHash, role: "admin", createdAt: new Date() }).run();
    return true;
  });
  if (!created) throw new AppError("CONFLICT", "Setup is already done: an account exists. Log in instead.");
  recordEvent({ actor: input.username, actorRole: "admin", sourceIp: ip, action: "setup.first-admin", outcome: "ok" });
}

/** At start: SWITCHYARD_ADMIN_USER/PASSWORD create (or reset the password of) that admin. */
export async function ensureAdminFromEnv(): Promise<void> {
  const { SWITCHYARD_ADMIN_USER: username, SWITCHYARD_ADMIN_PASSWORD: password } = config();
  if (!username || !password) return;
  const passwordHash = await hashPassword(password);
  const existing = db().select().from(users).where(eq(users.username, username)).get();
  if (existing) {
    if ((await verifyPassword(existing.passwordHash, password)) && existing.role === "admin") return;
    // A reset password ends the sessions opened with the old one, and revokes the API tokens made with it.
    const tokensRevoked = db().transaction((tx) => {
      tx.update(users).set({ passwordHash, role: "admin" }).where(eq(users.id, existing.id)).run();
      return revokeUserTokens(tx, existing.id);
    });
    deleteAllSessions(existing.id);
    recordEvent({
      actor: "system",
      action: "user.reset",
      outcome: "ok",
      message: `admin ${username}: password and role set from the environment; sessions ended; ${tokensRevoked} API token(s) revoked`,
      detail: { tokensRevoked },
    });
  } else {
    db().insert(users).values({ username, passwordHash, role: "admin", createdAt: new Date() }).run();
    recordEvent({ actor: "system", action: "user.create", outcome: "ok", message: `admin ${username} from environment` });
  }
}
