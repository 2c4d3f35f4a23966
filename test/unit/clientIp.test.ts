/**
 * The client address: X-Forwarded-For / X-Real-IP count only from a trusted
 * proxy (SWITCHYARD_TRUSTED_PROXIES, IPv4 and IPv6 CIDRs); the socket peer
 * reaches route handlers through a header the server stamps itself.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it, vi } from "vitest";
import { isTrustedProxy, parseTrustedProxies, pickClientIp } from "@/server/http/trustedProxies";
import { ORIGIN, startApi } from "./support/apiHarness";

const api = await startApi("client-ip", { haproxy: false });
await api.seed();
afterAll(() => api.close());
const { PEER_HEADER, installPeerStamp } = await import("@/server/http/peerAddress");

const trusted = parseTrustedProxies("10.0.0.0/8, 192.0.2.1, fd00::/8, 2001:db8::1/128");
const pick = (peer: string, forwardedFor: string | null, realIp: string | null = null) =>
  pickClientIp({ peer, forwardedFor, realIp, trusted });

describe("trusted proxies", () => {
  it("match IPv4 and IPv6 CIDRs and single addresses, also IPv4 seen as IPv6", () => {
    for (const ip of ["10.1.2.3", "::ffff:10.9.9.9", "192.0.2.1", "fd12:3456::1", "2001:db8::1", "[fd00::5]", "fd00::5%eth0"])
      expect(isTrustedProxy(trusted, ip), ip).toBe(true);
    for (const ip of ["11.0.0.1", "192.0.2.2", "fe80::1", "2001:db8::2", "::1", "garbage", ""])
      expect(isTrustedProxy(trusted, ip), ip).toBe(false);
    expect(isTrustedProxy(parseTrustedProxies(undefined), "127.0.0.1")).toBe(false);
  });

  it("are validated: every bad entry is named", () => {
    expect(() => parseTrustedProxies("10.0.0.0/33, fd00::/129, example.com, 1.2.3.4/8/1, 10.0.0.0/x")).toThrow(
      "'10.0.0.0/33': the prefix length must be 0-32; 'fd00::/129': the prefix length must be 0-128; 'example.com' is not an IPv4 or IPv6 address or CIDR; '1.2.3.4/8/1' is not an IPv4 or IPv6 address or CIDR; '10.0.0.0/x': the prefix length must be 0-32",
    );
    expect(parseTrustedProxies(" 127.0.0.1/32 ,, ::1 ").list).toEqual(["127.0.0.1/32", "::1"]);
  });
});

describe("the client address", () => {
  it("is the socket peer when the peer is not a trusted proxy: spoofed headers are ignored", () => {
    expect(pick("203.0.113.9", "1.1.1.1", "2.2.2.2")).toBe("203.0.113.9");
    expect(pick("::ffff:203.0.113.9", "1.1.1.1")).toBe("203.0.113.9");
    expect(pick("2001:db8::2", "1.1.1.1")).toBe("2001:db8::2");
  });

  it("behind trusted proxies is the right-most X-Forwarded-For address that is not a trusted proxy", () => {
    expect(pick("10.0.0.2", "6.6.6.6, 203.0.113.9")).toBe("203.0.113.9");
    expect(pick("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.7, fd00::3")).toBe("203.0.113.9");
    expect(pick("fd00::1", "2001:db8:1::5")).toBe("2001:db8:1::5");
    expect(pick("10.0.0.2", "spoofed-garbage, 10.0.0.3")).toBe("10.0.0.2");
    expect(pick("10.0.0.2", "10.0.0.9, 10.0.0.3")).toBe("10.0.0.9");
    expect(pick("10.0.0.2", null, "198.51.100.4")).toBe("198.51.100.4");
    expect(pick("10.0.0.2", null, null)).toBe("10.0.0.2");
  });
});

describe("through the route wrapper", () => {
  const lastLoginIp = () => api.db().select().from(api.schema.events).all().at(-1)!.sourceIp;
  const loginFrom = (headers: Record<string, string>) =>
    api.call("POST", "/api/auth/login", { body: { username: "vic", password: "wrong-password" }, headers: { origin: ORIGIN, ...headers } });

  it("logs the socket peer, not a spoofed X-Forwarded-For, from an untrusted peer", async () => {
    await loginFrom({ [PEER_HEADER]: "203.0.113.50", "x-forwarded-for": "1.2.3.4", "x-real-ip": "5.6.7.8" });
    expect(lastLoginIp()).toBe("203.0.113.50");
    await loginFrom({ [PEER_HEADER]: "127.0.0.1", "x-forwarded-for": "1.2.3.4, 198.51.100.61" });
    expect(lastLoginIp()).toBe("198.51.100.61");
  });
});

describe("the peer stamp", () => {
  it("replaces a client-sent peer header with the socket's address before the app sees the request", async () => {
    installPeerStamp();
    const seen: (string | string[] | undefined)[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers[PEER_HEADER], req.rawHeaders.filter((h) => h.toLowerCase() === PEER_HEADER).length ? "raw" : undefined);
      res.end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_HEADER]: "6.6.6.6", "x-forwarded-for": "6.6.6.6" } });
    expect(await res.text()).toBe("ok");
    server.close();
    expect(seen).toEqual(["127.0.0.1", undefined]);
  });
});

describe("SWITCHYARD_TRUSTED_PROXIES", () => {
  it("is validated at start: a bad value fails with the variable's name", async () => {
    const { config } = await import("@/server/config");
    expect(config().SWITCHYARD_TRUSTED_PROXIES.list).toEqual(["127.0.0.1/32"]);
    const saved = process.env.SWITCHYARD_TRUSTED_PROXIES;
    process.env.SWITCHYARD_TRUSTED_PROXIES = "10.0.0.0/40";
    try {
      vi.resetModules(); // config() caches what it read: a fresh module reads the environment again
      const fresh = await import("@/server/config");
      expect(() => fresh.config()).toThrow(/✖ '10\.0\.0\.0\/40': the prefix length must be 0-32.*\n {2}→ at SWITCHYARD_TRUSTED_PROXIES/);
    } finally {
      process.env.SWITCHYARD_TRUSTED_PROXIES = saved;
    }
  });
});
