import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { logout } from "@/server/auth/logout";
import { clearSessionCookie } from "@/server/auth/sessionCookie";
import { LogoutInput } from "@/server/auth/logoutInput";

export const POST = route({ role: "viewer", body: LogoutInput }, async ({ req, actor, body }) => {
  logout(actor, body.everywhere);
  const res = NextResponse.json({ ok: true });
  clearSessionCookie(req, res);
  return res;
});
