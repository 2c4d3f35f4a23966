import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { login, LoginInput } from "@/server/auth/login";
import { setSessionCookie } from "@/server/auth/sessionCookie";
import { SESSION_COOKIE } from "@/server/auth/sessions";
import { checkSameOrigin } from "@/server/http/sameOrigin";

export const POST = route({ role: "public", body: LoginInput }, async ({ req, body, ip }) => {
  checkSameOrigin(req);
  const { token, expiresAt, user } = await login(body, ip, req.cookies.get(SESSION_COOKIE)?.value);
  const res = NextResponse.json({ user });
  setSessionCookie(req, res, token, expiresAt);
  return res;
});
