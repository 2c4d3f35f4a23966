import "server-only";
import { invalid } from "@/server/errors";

/** What HAProxy accepts as a backend or server name, and what cannot smuggle extra CLI words. */
export const HAPROXY_NAME = /^[A-Za-z0-9_.:-]+$/;

export function assertHaproxyName(kind: "backend" | "server", name: string): string {
  if (!HAPROXY_NAME.test(name)) throw invalid(`HAProxy ${kind} name "${name}": only letters, digits, '_', '.', ':' or '-'`);
  return name;
}

/** `<backend>/<server>` as the runtime API expects it, both names validated. */
export function serverRef(backend: string, server: string): string {
  return `${assertHaproxyName("backend", backend)}/${assertHaproxyName("server", server)}`;
}
