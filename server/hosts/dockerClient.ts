import "server-only";
import Docker from "dockerode";
import os from "node:os";
import type { hosts } from "@/db/schema";
import { hostKeyPin, type HostKeyCheck } from "./hostKeyFingerprint";

type HostRow = typeof hosts.$inferSelect;
type HostConnection = Pick<HostRow, "url" | "tlsCa" | "tlsCert" | "tlsKey" | "sshKey" | "hostKeyFingerprint">;

const globalForClients = globalThis as unknown as { switchyardDocker?: Map<string, Docker> };
const clients = (globalForClients.switchyardDocker ??= new Map());

/**
 * dockerode options for a host URL: unix socket, TCP (optionally TLS) or SSH.
 * An SSH connection goes on only when the server presents the pinned host key;
 * without a pinned key every SSH connection is refused.
 */
export function dockerOptions(
  host: HostConnection,
  timeoutMs: number,
  pin: HostKeyCheck = hostKeyPin(host.hostKeyFingerprint),
): Docker.DockerOptions {
  const url = host.url;
  if (url.startsWith("unix://")) return { socketPath: url.slice("unix://".length), timeout: timeoutMs };
  const u = new URL(url);
  const hostname = u.hostname.replace(/^\[|\]$/g, "");
  if (u.protocol === "ssh:") {
    return {
      protocol: "ssh",
      host: hostname,
      port: u.port ? Number(u.port) : 22,
      // Like ssh(1): without a user in the url, the local user name (ssh2 refuses none).
      username: decodeURIComponent(u.username) || os.userInfo().username,
      // No `timeout` here: docker-modem would call setTimeout on ssh2's channel, which has none
      // (an uncaught TypeError, and the call never ends). The SSH handshake has readyTimeout;
      // callers bound the whole call with withTimeout.
      sshOptions: {
        ...(host.sshKey ? { privateKey: host.sshKey } : {}),
        hostVerifier: (key: Buffer) => pin.verify(key),
        readyTimeout: timeoutMs,
      },
    } as Docker.DockerOptions;
  }
  const tls = Boolean(host.tlsCa || host.tlsCert);
  return {
    protocol: tls ? "https" : "http",
    host: hostname,
    port: Number(u.port),
    ca: host.tlsCa ?? undefined,
    cert: host.tlsCert ?? undefined,
    key: host.tlsKey ?? undefined,
    timeout: timeoutMs,
  };
}

/** A dockerode client whose SSH host-key failures say which key was expected and which one came. */
export function newDockerClient(host: HostConnection, timeoutMs: number): Docker {
  const pin = hostKeyPin(host.hostKeyFingerprint);
  const client = new Docker(dockerOptions(host, timeoutMs, pin));
  if (host.url.startsWith("ssh://")) {
    const dial = client.modem.dial.bind(client.modem);
    client.modem.dial = (options, callback) => dial(options, callback && ((err, result) => callback(err ? pin.explain(err) : err, result)));
  }
  return client;
}

/** One dockerode client per host version (a changed host gets a fresh client). */
export function dockerFor(host: HostRow, timeoutMs: number): Docker {
  const key = `${host.id}:${host.updatedAt.getTime()}:${timeoutMs}`;
  let client = clients.get(key);
  if (!client) {
    for (const k of clients.keys()) if (k.startsWith(`${host.id}:`) && k.endsWith(`:${timeoutMs}`)) clients.delete(k);
    client = newDockerClient(host, timeoutMs);
    clients.set(key, client);
  }
  return client;
}
