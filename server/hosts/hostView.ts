import type { HostRow } from "./hostRegistry";

/** What the browser may see of a host: never key material. */
export type HostView = {
  id: number;
  name: string;
  url: string;
  tls: boolean;
  ssh: boolean;
  hasSshKey: boolean;
  /** The pinned SSH host key ("SHA256:..."), public information. */
  hostKeyFingerprint: string | null;
  /** Plain tcp:// to a non-loopback address, allowed by an admin. */
  insecure: boolean;
  lastSeenAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
};

export function hostView(h: HostRow): HostView {
  return {
    id: h.id,
    name: h.name,
    url: h.url,
    tls: Boolean(h.tlsCa || h.tlsCert),
    ssh: h.url.startsWith("ssh://"),
    hasSshKey: Boolean(h.sshKey),
    hostKeyFingerprint: h.hostKeyFingerprint,
    insecure: h.insecure,
    lastSeenAt: h.lastSeenAt?.getTime() ?? null,
    lastError: h.lastError,
    lastErrorAt: h.lastErrorAt?.getTime() ?? null,
  };
}
