import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, newNonce } from "@/server/http/csp";

/**
 * Every page gets a fresh CSP nonce. Next.js reads it from the request's
 * Content-Security-Policy header and puts it on its own scripts and styles,
 * so pages must render per request (they do: `dynamic = "force-dynamic"`).
 * API routes get a fixed policy from next.config.mjs.
 */
export function proxy(request: NextRequest) {
  const forwardedProto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  const https = request.nextUrl.protocol === "https:" || forwardedProto === "https";
  const csp = contentSecurityPolicy({ nonce: newNonce(), https, dev: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
