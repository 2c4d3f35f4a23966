import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { AppError } from "@/server/errors";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { ADMIN_ONLY } from "@/server/releaseLog/constants";
import { dummyPasswordHash, verifyPassword } from "./password";
import { createSession, deleteSession } from "./sessions";
import { LoginRateLimit } from "./loginRateLimit";

export const LoginInput = z.object({
  username: z.string().trim().min(1, "username is required").max(64),
  password: z.string().min(1, "password is required").max(1024),
});
export type LoginInput = z.infer<typeof LoginInput>;

const globalForLimit = globalThis as unknown as { switchyardLoginLimit?: LoginRateLimit };
const limiter = (globalForLimit.switchyardLoginLimit ??= new LoginRateLimit());

/**
 * Verifies credentials in constant time (no user enumeration) and opens a new
 * session. The session the request came with, if any, ends (rotation).
 */
export async function login(input: LoginInput, ip: string | null, previousSession?: string) {
  const ipKey = `ip:${ip ?? "unknown"}`;
  const userKey = `user:${input.username.toLowerCase()}`;
  // Counted before the hash is checked, so parallel attempts cannot outrun the limit.
  const begunAt = Date.now();
  const wait = limiter.begin([ipKey, userKey], begunAt);
  if (wait > 0) {
    throw new AppError("RATE_LIMITED", `Too many failed logins; try again in ${Math.ceil(wait / 1000)} s.`);
  }
  const user = db().select().from(users).where(eq(users.username, input.username)).get();
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !ok) {
    recordLoginFailure(user?.username ?? null, ip);
    throw new AppError("UNAUTHENTICATED", "Wrong username or password.");
  }
  // Only the user's count starts afresh: the IP keeps its failures (against any user).
  limiter.succeeded([userKey], [ipKey], begunAt);
  if (previousSession) deleteSession(previousSession);
  const session = createSession(user.id);
  recordEvent({ actor: user.username, actorRole: user.role, sourceIp: ip, action: "login", outcome: "ok" });
  return { ...session, user: { id: user.id, username: user.username, role: user.role } };
}

/**
 * A failed login in the release log. Every viewer reads the log, so what they
 * see is the same whether or not the name exists ("anonymous"). Only admins see
 * which account was tried, and only when it exists: a typed name that matches
 * no account is never stored, because people type passwords into that field.
 */
function recordLoginFailure(existingUsername: string | null, ip: string | null): void {
  recordEvent({
    actor: "anonymous",
    sourceIp: ip,
    action: "login",
    outcome: "failed",
    message: "wrong username or password",
    detail: { [ADMIN_ONLY]: existingUsername ? { usernameExists: true, username: existingUsername } : { usernameExists: false } },
  });
}
