import "server-only";
import { AppError } from "@/server/errors";
import { HaproxyServersDown } from "@/server/haproxy/errors";
import { backendServers } from "@/server/haproxy/serverState";
import { waitForServersUp } from "@/server/haproxy/waitForServersUp";
import { haproxySocket } from "@/server/routing/applyServiceRouting";
import { unreachableHosts } from "@/server/routing/hostReachability";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";
import { activeContainersOf, type ReleaseRow } from "./releaseRows";

/** How long the target's servers on reachable hosts may take to pass a check before the switch is refused. */
const UP_TIMEOUT_MS = 10_000;

/**
 * Before a switch or rollback records anything (README "Switching with a host
 * down"): the servers of `target` on an unreachable host count as down and are
 * left out; every one on a reachable host must be UP with a passed check, and
 * at least one such server must exist (when it has containers at all). Otherwise refuses (503) naming the
 * blocking host(s) and why; nothing is changed. Servers not yet in the backend
 * (HAProxy restarted) are added and gated by the apply itself.
 */
export async function checkSwitchTarget(spec: ServiceSpec, target: ReleaseRow): Promise<void> {
  if (!spec.haproxy) return;
  const backend = spec.haproxy.backend;
  const containers = activeContainersOf([target.id]).filter(({ container }) => container.quarantinedAt === null);
  const hosts = new Map(containers.map(({ host }) => [host.id, host]));
  const unreachable = await unreachableHosts([...hosts.values()]);
  const reachable = containers.filter(({ host }) => !unreachable.has(host.id));
  const blocked = [...unreachable].map(([id, why]) => `${hosts.get(id)!.name} unreachable: ${why}`);
  // A release without containers (nothing to route) is not blocked by any host.
  if (containers.length && !reachable.length) {
    throw new AppError(
      "UNAVAILABLE",
      `Release ${target.number} has no server on a reachable host (${blocked.join("; ")}); nothing was changed.`,
    );
  }
  const socket = haproxySocket();
  const present = new Set((await backendServers(socket, backend)).map((s) => s.name));
  const hostOf = new Map(reachable.map(({ container, host }) => [container.serverName, host.name]));
  const gate = reachable.map(({ container }) => container.serverName).filter((n) => present.has(n));
  try {
    await waitForServersUp(socket, backend, gate, UP_TIMEOUT_MS);
  } catch (err) {
    if (!(err instanceof HaproxyServersDown)) throw err;
    const why = err.down.map((d) => `${hostOf.get(d.name)}: ${d.name} not up (${d.why})`);
    throw new AppError(
      "UNAVAILABLE",
      `Release ${target.number} is not ready after ${UP_TIMEOUT_MS / 1000} s: ${[...why, ...blocked].join("; ")}; nothing was changed.`,
    );
  }
}
