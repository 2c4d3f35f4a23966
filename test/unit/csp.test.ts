import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce } from "@/server/http/csp";
import { proxy } from "@/proxy";

describe("Content-Security-Policy", () => {
  it("allows scripts and <style> elements only with the nonce, and nothing from elsewhere", () => {
    const csp = contentSecurityPolicy({ nonce: "abc123", https: false, dev: false });
    expect(csp.split("; ")).toEqual([
      "default-src 'self'",
      "script-src 'self' 'nonce-abc123' 'strict-dynamic'",
      "style-src 'self' 'nonce-abc123'",
      "style-src-attr 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ]);
    expect(contentSecurityPolicy({ nonce: "n", https: true, dev: false })).toMatch(/; upgrade-insecure-requests$/);
    expect(contentSecurityPolicy({ nonce: "n", https: false, dev: true })).toContain("'strict-dynamic' 'unsafe-eval'");
  });

  it("uses 128 fresh random bits per nonce", () => {
    const nonces = new Set(Array.from({ length: 1000 }, newNonce));
    expect(nonces.size).toBe(1000);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
  });

  it("is set by the proxy on the response and on the request Next.js renders with", () => {
    const res = proxy(new NextRequest("http://localhost/services", { headers: { "x-forwarded-proto": "https" } }));
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]+=*' 'strict-dynamic'/);
    expect(csp).toContain("upgrade-insecure-requests");
    expect(res.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    const again = proxy(new NextRequest("http://localhost/services")).headers.get("content-security-policy")!;
    expect(again).not.toBe(csp);
    expect(again).not.toContain("upgrade-insecure-requests");
  });
});
