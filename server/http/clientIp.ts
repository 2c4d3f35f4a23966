import "server-only";
import type { NextRequest } from "next/server";

/**
 * The client's address for the release log and the login rate limit. Behind
 * the one reverse proxy the README describes, the last X-Forwarded-For entry
 * is the one that proxy added; entries before it are whatever the client sent,
 * so they are never trusted.
 */
export function clientIp(req: NextRequest): string | null {
  const fwd = req.headers.get("x-forwarded-for");
  if (fwd) return fwd.split(",").map((s) => s.trim()).filter(Boolean).at(-1)?.slice(0, 64) ?? null;
  return req.headers.get("x-real-ip")?.slice(0, 64) ?? null;
}
