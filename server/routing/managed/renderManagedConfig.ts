/**
 * Pure: the HAProxy include file of every managed service — its frontends,
 * its backends and the servers they hold right now. HAProxy forgets servers
 * added only through the runtime API when it reloads, so the file carries
 * every current server with its weight and state: a reload loses nothing.
 */
import { createHash } from "node:crypto";

export type ManagedServer = {
  name: string;
  address: string;
  port: number;
  weight: number;
  /** maint: written `disabled`; drain: written with weight 0 (a config file has no drain state). */
  state: "ready" | "drain" | "maint";
};

export type ManagedCheck = { kind: "http"; path: string; expectStatus: number; inter: number } | { kind: "tcp"; inter: number };

export type ManagedService = {
  service: string;
  mode: "http" | "tcp";
  bind: string;
  previewBind?: string;
  backend: string;
  previewBackend?: string;
  check: ManagedCheck;
  servers: ManagedServer[];
  previewServers: ManagedServer[];
};

/** The header line that carries the structure hash of the file. */
const STRUCTURE_PREFIX = "# structure ";

/** The frontend name of a managed backend: `fe.` never starts a backend name Switchyard generates. */
export const frontendOf = (backend: string) => `fe.${backend}`;

/**
 * HAProxy config words are split on spaces, '#' starts a comment, quotes and
 * '\' are special, and "$VAR" expands inside double quotes: escape every one
 * of them with a backslash (HAProxy 2.6 configuration.txt, 2.2 "Quoting and escaping").
 */
export function escapeWord(word: string): string {
  if (word === "") return "''";
  return word.replace(/[\\\s#'"$]/g, (c) => `\\${c}`);
}

const hostPort = (address: string, port: number) => (address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`);

function serverLine(s: ManagedServer, inter: number): string {
  const weight = s.state === "drain" ? 0 : s.weight;
  const line = `    server ${escapeWord(s.name)} ${hostPort(s.address, s.port)} check inter ${inter} fall 2 rise 1 weight ${weight}`;
  return s.state === "maint" ? `${line} disabled` : s.state === "drain" ? `${line}  # drain` : line;
}

function frontend(name: string, bind: string, backend: string, mode: "http" | "tcp"): string[] {
  const lines = [`frontend ${frontendOf(name)}`, `    mode ${mode}`, `    bind ${bind}`];
  if (mode === "http") lines.push("    http-response set-header X-Switchyard-Server %s");
  lines.push(`    default_backend ${backend}`, "");
  return lines;
}

function backend(name: string, svc: ManagedService, servers: ManagedServer[]): string[] {
  const lines = [`backend ${name}`, `    mode ${svc.mode}`, "    balance roundrobin"];
  if (svc.check.kind === "http") {
    lines.push(`    option httpchk GET ${escapeWord(svc.check.path)}`, `    http-check expect status ${svc.check.expectStatus}`);
  }
  const sorted = [...servers].sort((a, b) => a.name.localeCompare(b.name));
  lines.push(...sorted.map((s) => serverLine(s, svc.check.inter)), "");
  return lines;
}

/**
 * What changes only with a reload: frontends, binds, modes and checks.
 * Servers are left out: the runtime API adds, weights, drains and deletes
 * them between reloads (server/haproxy/applyBackend.ts), and the file is
 * rewritten after each change so the next reload, by anyone, keeps them.
 */
export function managedStructure(services: ManagedService[]): string {
  const shape = [...services]
    .sort((a, b) => a.service.localeCompare(b.service))
    .map((s) => ({
      service: s.service,
      mode: s.mode,
      bind: s.bind,
      previewBind: s.previewBind ?? null,
      backend: s.backend,
      previewBackend: s.previewBackend ?? null,
      check: s.check,
    }));
  return createHash("sha256").update(JSON.stringify(shape)).digest("hex").slice(0, 16);
}

/** The structure hash written in a rendered file, null for an empty or foreign file. */
export function structureOfFile(text: string): string | null {
  const line = text.split("\n").find((l) => l.startsWith(STRUCTURE_PREFIX));
  return line ? line.slice(STRUCTURE_PREFIX.length).trim() : null;
}

/** The whole include file. Its own `defaults` section keeps the user's defaults from changing managed sections and back. */
export function renderManagedConfig(services: ManagedService[]): string {
  const lines = [
    "# Managed by Switchyard: every routing change rewrites this file. Do not edit it;",
    "# change the service's routing in Switchyard instead.",
    `${STRUCTURE_PREFIX}${managedStructure(services)}`,
    "",
    "defaults",
    "    mode http",
    "    timeout connect 5s",
    "    timeout client 60s",
    "    timeout server 60s",
    "    timeout http-request 10s",
    "    timeout queue 5s",
    "    option redispatch",
    "    retries 3",
    // On a reload the old worker answers a request already on an idle keep-alive connection (with
    // Connection: close) instead of closing it under the client (ECONNRESET) (HAProxy 2.6+).
    "    option idle-close-on-response",
    "",
  ];
  for (const svc of [...services].sort((a, b) => a.service.localeCompare(b.service))) {
    lines.push(`# service ${svc.service}`);
    lines.push(...frontend(svc.backend, svc.bind, svc.backend, svc.mode));
    if (svc.previewBind && svc.previewBackend) lines.push(...frontend(svc.previewBackend, svc.previewBind, svc.previewBackend, svc.mode));
    lines.push(...backend(svc.backend, svc, svc.servers));
    if (svc.previewBackend) lines.push(...backend(svc.previewBackend, svc, svc.previewServers));
  }
  return `${lines.join("\n").replace(/\n+$/, "")}\n`;
}
