import "server-only";
import type { NextRequest, NextResponse } from "next/server";
import { SESSION_COOKIE } from "./sessions";

function secure(req: NextRequest): boolean {
  return req.nextUrl.protocol === "https:" || req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

export function setSessionCookie(req: NextRequest, res: NextResponse, token: string, expiresAt: Date): void {
  res.cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: "strict", secure: secure(req), path: "/", expires: expiresAt });
}

export function clearSessionCookie(req: NextRequest, res: NextResponse): void {
  res.cookies.set(SESSION_COOKIE, "", { httpOnly: true, sameSite: "strict", secure: secure(req), path: "/", maxAge: 0 });
}
