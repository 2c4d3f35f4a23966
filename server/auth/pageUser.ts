import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIE, sessionUser, type SessionUser } from "./sessions";
import { hasUsers } from "./firstAdmin";

/** For server components: the logged-in user, or a redirect to setup/login. */
export async function requirePageUser(): Promise<SessionUser> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const user = sessionUser(token);
  if (user) return user;
  redirect(hasUsers() ? "/login" : "/setup");
}
