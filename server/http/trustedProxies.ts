import net from "node:net";

/**
 * Which peers may tell us the client's address. Pure: `SWITCHYARD_TRUSTED_PROXIES`
 * is parsed here (config.ts validates it with this), and `pickClientIp`
 * chooses the address the login limit and the release log use.
 */
export type TrustedProxies = { list: readonly string[]; blocks: net.BlockList };

/** The address part of an IP literal: no IPv6 zone ("%eth0"), no brackets; null if not an IP. */
function normalizeIp(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let s = raw.trim();
  if (s.startsWith("[") && s.includes("]")) s = s.slice(1, s.indexOf("]"));
  s = s.replace(/%.*$/, "");
  // An IPv4 client seen on a dual-stack socket ("::ffff:203.0.113.7") is that IPv4 address.
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(s);
  if (mapped) s = mapped[1]!;
  return net.isIP(s) ? s.toLowerCase() : null;
}

/** One CIDR ("10.0.0.0/8", "fd00::/8") or a bare address (one host); an error message when it is neither. */
function parseCidr(entry: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | string {
  const [addr = "", prefixText, extra] = entry.trim().split("/");
  const address = normalizeIp(addr);
  if (!address || extra !== undefined || address !== addr.trim().toLowerCase())
    return `'${entry.trim()}' is not an IPv4 or IPv6 address or CIDR`;
  const family = net.isIPv4(address) ? "ipv4" : "ipv6";
  const max = family === "ipv4" ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: max, family };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return `'${entry.trim()}': the prefix length must be 0-${max}`;
  return { address, prefix: Number(prefixText), family };
}

/** Parses the comma-separated list; throws with every bad entry named. Empty → trust nobody. */
export function parseTrustedProxies(text: string | undefined): TrustedProxies {
  const blocks = new net.BlockList();
  const entries = (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const errors: string[] = [];
  for (const entry of entries) {
    const cidr = parseCidr(entry);
    if (typeof cidr === "string") errors.push(cidr);
    else blocks.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  if (errors.length) throw new Error(errors.join("; "));
  return { list: entries, blocks };
}

export function isTrustedProxy(trusted: TrustedProxies, ip: string | null): boolean {
  const address = normalizeIp(ip);
  if (!address || trusted.list.length === 0) return false;
  return trusted.blocks.check(address, net.isIPv4(address) ? "ipv4" : "ipv6");
}

/**
 * The client's address. Forwarding headers count only when the socket peer is
 * a trusted proxy; then X-Forwarded-For is read from the right (each proxy
 * appends the address it saw) and the first address that is not itself a
 * trusted proxy is the client: anything left of it was written by the client.
 * X-Real-IP is used only when there is no X-Forwarded-For.
 */
export function pickClientIp(o: {
  peer: string | null;
  forwardedFor: string | null;
  realIp: string | null;
  trusted: TrustedProxies;
}): string | null {
  const peer = normalizeIp(o.peer);
  if (!peer || !isTrustedProxy(o.trusted, peer)) return peer;
  if (o.forwardedFor !== null) {
    const hops = o.forwardedFor
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normalizeIp(hops[i]);
      // A malformed hop: nothing left of it can be trusted, and it is no address; the nearest known address is the proxy.
      if (!hop) return peer;
      if (!isTrustedProxy(o.trusted, hop)) return hop;
    }
    // Every hop is a trusted proxy: the left-most is the closest thing to a client.
    return normalizeIp(hops[0]) ?? peer;
  }
  return normalizeIp(o.realIp) ?? peer;
}
