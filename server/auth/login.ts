import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { users } from "@/db/schema";
import { AppError } from "@/server/errors";
import { recordEvent } from "@/server/releaseLog/recordEvent";
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
  const keys = [`ip:${ip ?? "unknown"}`, `user:${input.username.toLowerCase()}`];
  const wait = Math.max(...keys.map((k) => limiter.retryAfterMs(k)));
  if (wait > 0) {
    throw new AppError("RATE_LIMITED", `Too many failed logins; try again in ${Math.ceil(wait / 1000)} s.`);
  }
  const user = db().select().from(users).where(eq(users.username, input.username)).get();
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !ok) {
    keys.forEach((k) => limiter.recordFailure(k));
    recordEvent({ actor: input.username, sourceIp: ip, action: "login", outcome: "failed", message: "wrong username or password" });
    throw new AppError("UNAUTHENTICATED", "Wrong username or password.");
  }
  keys.forEach((k) => limiter.reset(k));
  if (previousSession) deleteSession(previousSession);
  const session = createSession(user.id);
  recordEvent({ actor: user.username, actorRole: user.role, sourceIp: ip, action: "login", outcome: "ok" });
  return { ...session, user: { id: user.id, username: user.username, role: user.role } };
}
