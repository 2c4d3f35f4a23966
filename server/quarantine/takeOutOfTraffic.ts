import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { applyBackend, type DesiredServer } from "@/server/haproxy/applyBackend";
import { backendStats } from "@/server/haproxy/backendStats";
import { backendServers } from "@/server/haproxy/serverState";
import {
  applyServiceRouting,
  haproxySocket,
  ownedServers,
  recordedCandidateShare,
  routedContainersNow,
  withCurrentRouting,
} from "@/server/routing/applyServiceRouting";
import { haproxyCheckTiming } from "@/server/routing/haproxyCheck";
import { LIVE_WEIGHT, desiredMainBackend, desiredPreviewBackend } from "@/server/routing/desiredRouting";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";

const DRAIN_WAIT_MS = 10_000;

/**
 * Step one of a quarantine: the container (already marked quarantined, so
 * routing no longer wants it) is set to drain in every backend that has it,
 * in the same apply that raises anything new (a replacement started first);
 * once its sessions are done it is removed: maint, then `del server`.
 * No request fails: a drained server gets no new requests.
 */
export async function takeOutOfTraffic(serviceId: number, releaseSpec: ServiceSpec, serverName: string): Promise<string> {
  const spec = withCurrentRouting(serviceId, releaseSpec); // the service's current backends, not the release's
  if (!spec.haproxy) return `${serverName}: the service has no HAProxy routing, nothing to drain`;
  const socket = haproxySocket();
  // Servers on an unreachable host count as down here too (README "Switching with a host down").
  const routed = await routedContainersNow(serviceId);
  const checks = haproxyCheckTiming(spec.healthCheck);
  const backends: [string, DesiredServer[]][] = [[spec.haproxy.backend, desiredMainBackend(routed, recordedCandidateShare(serviceId))]];
  if (spec.haproxy.previewBackend) backends.push([spec.haproxy.previewBackend, desiredPreviewBackend(routed)]);

  const drainedIn: string[] = [];
  for (const [backend, desired] of backends) {
    const present = (await backendServers(socket, backend)).find((s) => s.name === serverName);
    if (!present) continue;
    const drain: DesiredServer = { name: serverName, address: present.address, port: present.port, weight: LIVE_WEIGHT, state: "drain" };
    await applyBackend(socket, backend, [...desired, drain], checks, { owns: ownedServers(serviceId) });
    drainedIn.push(backend);
  }
  const left = await waitForNoSessions(socket, drainedIn, serverName);
  const removed = await applyServiceRouting(serviceId, spec);
  const where = drainedIn.length ? `drained in ${drainedIn.join(", ")}` : "was not in HAProxy";
  return `${serverName} ${where}${left ? ` (${left} session(s) still open after ${DRAIN_WAIT_MS / 1000} s)` : ""}; ${removed.filter((c) => c.startsWith("del server")).length} server(s) deleted`;
}

/** Polls `show stat` until the server has no session left in these backends (or the wait ends); returns what is left. */
async function waitForNoSessions(socket: string, backends: string[], serverName: string): Promise<number> {
  const deadline = Date.now() + DRAIN_WAIT_MS;
  for (;;) {
    let open = 0;
    for (const b of backends) open += (await backendStats(socket, b)).find((s) => s.server === serverName)?.currentSessions ?? 0;
    if (open === 0 || Date.now() >= deadline) return open;
    await sleep(100);
  }
}
