import "server-only";
import Docker from "dockerode";
import type { hosts } from "@/db/schema";

type HostRow = typeof hosts.$inferSelect;

const globalForClients = globalThis as unknown as { switchyardDocker?: Map<string, Docker> };
const clients = (globalForClients.switchyardDocker ??= new Map());

/** dockerode options for a host URL: unix socket, TCP (optionally TLS) or SSH. */
export function dockerOptions(host: Pick<HostRow, "url" | "tlsCa" | "tlsCert" | "tlsKey" | "sshKey">, timeoutMs: number): Docker.DockerOptions {
  const url = host.url;
  if (url.startsWith("unix://")) return { socketPath: url.slice("unix://".length), timeout: timeoutMs };
  const u = new URL(url);
  const hostname = u.hostname.replace(/^\[|\]$/g, "");
  if (u.protocol === "ssh:") {
    return {
      protocol: "ssh",
      host: hostname,
      port: u.port ? Number(u.port) : 22,
      username: decodeURIComponent(u.username) || undefined,
      sshOptions: host.sshKey ? { privateKey: host.sshKey } : {},
      timeout: timeoutMs,
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

/** One dockerode client per host version (a changed host gets a fresh client). */
export function dockerFor(host: HostRow, timeoutMs: number): Docker {
  const key = `${host.id}:${host.updatedAt.getTime()}:${timeoutMs}`;
  let client = clients.get(key);
  if (!client) {
    for (const k of clients.keys()) if (k.startsWith(`${host.id}:`) && k.endsWith(`:${timeoutMs}`)) clients.delete(k);
    client = new Docker(dockerOptions(host, timeoutMs));
    clients.set(key, client);
  }
  return client;
}
