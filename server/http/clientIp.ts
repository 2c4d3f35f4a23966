import "server-only";
import type { NextRequest } from "next/server";
import { config } from "@/server/config";
import { peerAddress } from "./peerAddress";
import { pickClientIp } from "./trustedProxies";

/**
 * The client's address for the release log and the login rate limit: the
 * socket peer, or what a trusted proxy (SWITCHYARD_TRUSTED_PROXIES) forwarded.
 * X-Forwarded-For and X-Real-IP from anyone else are ignored.
 */
export function clientIp(req: NextRequest): string | null {
  const ip = pickClientIp({
    peer: peerAddress(req.headers),
    forwardedFor: req.headers.get("x-forwarded-for"),
    realIp: req.headers.get("x-real-ip"),
    trusted: config().SWITCHYARD_TRUSTED_PROXIES,
  });
  return ip?.slice(0, 64) ?? null;
}
