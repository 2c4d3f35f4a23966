import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { HaproxyServersDown } from "./errors";
import { backendServers, type ServerState } from "./serverState";

const POLL_MS = 100;

/**
 * Why a server cannot take traffic yet, or null when it can. HAProxy reports a
 * server UP the moment it leaves maintenance (its health starts at `rise`),
 * before any check ran; so with checks enabled we also want a passed check.
 */
export function notUpReason(server: ServerState | undefined): string | null {
  if (!server) return "not in the backend";
  if (server.adminState === "maint") return "in maintenance";
  if (server.operational !== "up") return `${server.operational}, check ${server.checkStatus ?? "none"}`;
  // While a check is running HAProxy reports the last status (e.g. L7OK) with result "unknown": a passed status counts.
  const passedStatus = server.checkStatus === "L7OK" || server.checkStatus === "L6OK" || server.checkStatus === "L4OK";
  if (server.checksEnabled && server.checkResult !== "passed" && !passedStatus)
    return `no passed check yet (${server.checkStatus ?? "none"})`;
  return null;
}

/** Polls `show servers state` until every named server is up with a passed check; throws HaproxyServersDown naming the others. */
export async function waitForServersUp(socket: string, backend: string, names: string[], timeoutMs: number): Promise<ServerState[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const servers = await backendServers(socket, backend);
    const byName = new Map(servers.map((s) => [s.name, s]));
    const down = names.flatMap((name) => {
      const why = notUpReason(byName.get(name));
      return why === null ? [] : [{ name, why }];
    });
    if (!down.length) return names.map((n) => byName.get(n)!);
    if (Date.now() >= deadline) throw new HaproxyServersDown(backend, down, timeoutMs);
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
}
