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
import {
  desiredMainBackend,
  desiredPreviewBackend,
  liveRouting,
  withCurrentHaproxy,
  type LiveRouting,
  type RoutedContainer,
} from "./desiredRouting";
import { unreachableHosts } from "./hostReachability";
import { syncManagedRouting } from "./managed/syncManagedRouting";

export function haproxySocket(): string {
  const socket = config().SWITCHYARD_HAPROXY_SOCKET;
  if (!socket) throw new AppError("UNAVAILABLE", "HAProxy is not configured: set SWITCHYARD_HAPROXY_SOCKET to its admin socket.");
  return socket;
}

/** `unreachable` (host id → why) marks the containers whose engine does not answer (hostReachability.ts). */
export function routedContainers(serviceId: number, unreachable: ReadonlyMap<number, string> = new Map()): RoutedContainer[] {
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
      host: host.name,
      ...(unreachable.has(host.id) && { hostUnreachable: unreachable.get(host.id) }),
    }));
}

/** The service's routed containers, each marked when its host's engine does not answer right now. */
export async function routedContainersNow(serviceId: number): Promise<RoutedContainer[]> {
  const rels = releasesWithStatuses(["live", "candidate", "standby"], serviceId);
  const hostsUsed = new Map(activeContainersOf(rels.map((r) => r.id)).map(({ host }) => [host.id, host]));
  return routedContainers(serviceId, await unreachableHosts([...hostsUsed.values()]));
}

export type RoutingApplied = LiveRouting & { commands: string[] };

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
  return (await applyServiceRoutingReport(serviceId, releaseSpec)).commands;
}

/**
 * applyServiceRouting, saying what it applied: the live servers that got
 * weight and those left out (host unreachable), with the commands it ran.
 */
export async function applyServiceRoutingReport(serviceId: number, releaseSpec: ServiceSpec): Promise<RoutingApplied> {
  const spec = withCurrentRouting(serviceId, releaseSpec);
  // A service without routing (a worker, a database on a fixed host port): its releases change status only.
  if (!spec.haproxy) return { commands: [], weighted: [], leftOut: [] };
  // Managed routing: the backends (and every server a deploy added or a retire removed) come with a reload first.
  const managedTrigger = spec.haproxy.managed ? `routing of ${serviceRowById(serviceId)?.name ?? serviceId}` : null;
  if (managedTrigger) await syncManagedRouting(managedTrigger);
  const socket = haproxySocket();
  const containers = await routedContainersNow(serviceId);
  const checks = haproxyCheckTiming(spec.healthCheck);
  const owns = ownedServers(serviceId);
  const main = await applyBackend(socket, spec.haproxy.backend, desiredMainBackend(containers, recordedCandidateShare(serviceId)), checks, {
    owns,
  });
  const preview = spec.haproxy.previewBackend
    ? await applyBackend(socket, spec.haproxy.previewBackend, desiredPreviewBackend(containers), checks, { owns })
    : [];
  // ...and the include file takes the weights the runtime API just set (no reload: the structure did not change).
  if (managedTrigger && main.length + preview.length) await syncManagedRouting(managedTrigger);
  return { commands: [...main, ...preview], ...liveRouting(containers) };
}

/** Asks HAProxy for the service's backend; throws HaproxyUnavailable (503) before anything is recorded. Nothing to ask without routing. */
export async function assertHaproxyReachable(spec: ServiceSpec): Promise<void> {
  if (!spec.haproxy) return;
  await backendServers(haproxySocket(), spec.haproxy.backend);
}
