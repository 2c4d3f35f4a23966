import "server-only";
import { config } from "@/server/config";
import { AppError } from "@/server/errors";
import { hostAddress } from "@/server/hosts/hostAddress";
import { isSwitchyardServerName } from "@/server/releases/containerNaming";
import { activeContainersOf, recordedServerNames, releasesWithStatuses, releaseWithStatus } from "@/server/releases/releaseRows";
import { serviceRowById, specOf } from "@/server/services/serviceRows";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";
import { applyBackend, type OwnsServer } from "@/server/haproxy/applyBackend";
import { backendServers } from "@/server/haproxy/serverState";
import { haproxyCheckTiming } from "./haproxyCheck";
import { desiredMainBackend, desiredPreviewBackend, withCurrentHaproxy, type RoutedContainer } from "./desiredRouting";

export function haproxySocket(): string {
  const socket = config().SWITCHYARD_HAPROXY_SOCKET;
  if (!socket) throw new AppError("UNAVAILABLE", "HAProxy is not configured: set SWITCHYARD_HAPROXY_SOCKET to its admin socket.");
  return socket;
}

export function routedContainers(serviceId: number): RoutedContainer[] {
  const rels = releasesWithStatuses(["live", "candidate", "standby"], serviceId);
  const statusById = new Map(rels.map((r) => [r.id, r.status]));
  // A quarantined container never returns to traffic (server/quarantine/).
  return activeContainersOf([...statusById.keys()])
    .filter(({ container }) => container.quarantinedAt === null)
    .map(({ container, host }) => ({
      serverName: container.serverName,
      address: hostAddress(host.url),
      port: container.port,
      releaseStatus: statusById.get(container.releaseId)!,
    }));
}

/** The candidate's share of the main backend as SQLite recorded it (a shift); 0 without a candidate or shift. */
export function recordedCandidateShare(serviceId: number): number {
  return releaseWithStatus(serviceId, "candidate")?.trafficSharePercent ?? 0;
}

/**
 * The servers routing may take out of the service's backends: named the way
 * Switchyard names its own AND recorded in SQLite for this service. Servers
 * added by hand, by other tools or for another service are never touched.
 */
export function ownedServers(serviceId: number): OwnsServer {
  const recorded = recordedServerNames(serviceId);
  return (name) => isSwitchyardServerName(name) && recorded.has(name);
}

/**
 * The spec with the service's CURRENT HAProxy backends. A release's stored
 * spec keeps the backends of its day; an admin may have moved the service
 * since and given the old backend to another service, so routing (switch,
 * rollback, replay, redeploy, reconcile) never trusts the stored ones.
 */
export function withCurrentRouting(serviceId: number, spec: ServiceSpec): ServiceSpec {
  const service = serviceRowById(serviceId);
  if (!service) return spec;
  return withCurrentHaproxy(spec, specOf(service));
}

/**
 * Makes HAProxy match what SQLite recorded for one service. applyBackend
 * raises new servers before draining old ones, which keeps switches
 * zero-downtime; reconcile after an HAProxy restart is the same call.
 */
export async function applyServiceRouting(serviceId: number, releaseSpec: ServiceSpec): Promise<string[]> {
  const spec = withCurrentRouting(serviceId, releaseSpec);
  // A service without routing (a worker, a database on a fixed host port): its releases change status only.
  if (!spec.haproxy) return [];
  const socket = haproxySocket();
  const containers = routedContainers(serviceId);
  const checks = haproxyCheckTiming(spec.healthCheck);
  const owns = ownedServers(serviceId);
  const main = await applyBackend(socket, spec.haproxy.backend, desiredMainBackend(containers, recordedCandidateShare(serviceId)), checks, {
    owns,
  });
  const preview = spec.haproxy.previewBackend
    ? await applyBackend(socket, spec.haproxy.previewBackend, desiredPreviewBackend(containers), checks, { owns })
    : [];
  return [...main, ...preview];
}

/** Asks HAProxy for the service's backend; throws HaproxyUnavailable (503) before anything is recorded. Nothing to ask without routing. */
export async function assertHaproxyReachable(spec: ServiceSpec): Promise<void> {
  if (!spec.haproxy) return;
  await backendServers(haproxySocket(), spec.haproxy.backend);
}
