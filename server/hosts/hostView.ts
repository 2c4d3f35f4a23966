import type { HostRow } from "./hostRegistry";

/** What the browser may see of a host: never key material. */
export type HostView = {
  id: number;
  name: string;
  url: string;
  tls: boolean;
  ssh: boolean;
  hasSshKey: boolean;
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
    lastSeenAt: h.lastSeenAt?.getTime() ?? null,
    lastError: h.lastError,
    lastErrorAt: h.lastErrorAt?.getTime() ?? null,
  };
}
