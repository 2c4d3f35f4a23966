import "server-only";
import { count } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { hosts } from "@/db/schema";
import { config } from "@/server/config";
import { createHost } from "./createHost";
import { HostInput } from "./hostInput";

const HostsEnv = z.array(HostInput);

/**
 * With an empty host table: hosts from SWITCHYARD_HOSTS (a JSON array of
 * {name,url,...}), else one host `local` from DOCKER_HOST or the default socket.
 */
export function ensureDefaultHosts(): void {
  if ((db().select({ n: count() }).from(hosts).get()?.n ?? 0) > 0) return;
  const env = config();
  if (env.SWITCHYARD_HOSTS) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.SWITCHYARD_HOSTS);
    } catch {
      throw new Error(
        "SWITCHYARD_HOSTS: must be a JSON array of {name, url, tlsCa?, tlsCert?, tlsKey?, sshKey?, hostKeyFingerprint?, insecure?}",
      );
    }
    const list = HostsEnv.safeParse(parsed);
    if (!list.success) {
      throw new Error(`SWITCHYARD_HOSTS:\n${z.prettifyError(list.error)}`);
    }
    list.data.forEach((h) => createHost(null, h));
    return;
  }
  const url = env.DOCKER_HOST && /^(unix|tcp|ssh):\/\//.test(env.DOCKER_HOST) ? env.DOCKER_HOST : "unix:///var/run/docker.sock";
  const local = HostInput.safeParse({ name: "local", url });
  if (!local.success) {
    // e.g. an ssh:// DOCKER_HOST has no pinned host key, a remote plain tcp:// one no TLS.
    throw new Error(
      `DOCKER_HOST=${url}:\n${z.prettifyError(local.error)}\nDescribe the host in SWITCHYARD_HOSTS instead (hostKeyFingerprint, TLS files or insecure: true).`,
    );
  }
  createHost(null, local.data);
}
