import "server-only";
import { and, desc, eq, gt, inArray, isNull, max, ne } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { hosts, releaseContainers, releases, services } from "@/db/schema";
import { notFound } from "@/server/errors";
import type { ReleaseStatus } from "./constants";

export type ReleaseRow = typeof releases.$inferSelect;
export type ReleaseContainerRow = typeof releaseContainers.$inferSelect;

export function releasesOf(serviceId: number, limit = 50): ReleaseRow[] {
  return db().select().from(releases).where(eq(releases.serviceId, serviceId)).orderBy(desc(releases.number)).limit(limit).all();
}

export function releaseWithStatus(serviceId: number, status: ReleaseStatus, tx: Tx = db()): ReleaseRow | undefined {
  return tx
    .select()
    .from(releases)
    .where(and(eq(releases.serviceId, serviceId), eq(releases.status, status)))
    .orderBy(desc(releases.number))
    .get();
}

export function releaseByNumber(serviceId: number, number: number): ReleaseRow {
  const r = db()
    .select()
    .from(releases)
    .where(and(eq(releases.serviceId, serviceId), eq(releases.number, number)))
    .get();
  if (!r) throw notFound(`Release ${number}`);
  return r;
}

export function releaseById(id: number, tx: Tx = db()): ReleaseRow | undefined {
  return tx.select().from(releases).where(eq(releases.id, id)).get();
}

export function nextReleaseNumber(serviceId: number): number {
  const row = db()
    .select({ n: max(releases.number) })
    .from(releases)
    .where(eq(releases.serviceId, serviceId))
    .get();
  return (row?.n ?? 0) + 1;
}

/** Containers of a release that have not been removed, with their host. */
export function activeContainersOf(releaseIds: number[]) {
  if (releaseIds.length === 0) return [];
  return db()
    .select({ container: releaseContainers, host: hosts })
    .from(releaseContainers)
    .innerJoin(hosts, eq(hosts.id, releaseContainers.hostId))
    .where(and(inArray(releaseContainers.releaseId, releaseIds), isNull(releaseContainers.removedAt)))
    .orderBy(releaseContainers.id)
    .all();
}

/**
 * Ports in use by Switchyard containers at a network address. Engines that
 * share an address (several engines on one machine, as in the lab) share
 * its ports, so this is per address, not per host.
 */
/** Every HAProxy server name Switchyard recorded for the service's release containers, removed ones included. */
export function recordedServerNames(serviceId: number): Set<string> {
  const rows = db()
    .selectDistinct({ serverName: releaseContainers.serverName })
    .from(releaseContainers)
    .innerJoin(releases, eq(releases.id, releaseContainers.releaseId))
    .where(eq(releases.serviceId, serviceId))
    .all();
  return new Set(rows.map((r) => r.serverName));
}

export function portsInUse(address: string, addressOf: (url: string) => string): Set<number> {
  const rows = db()
    .select({ port: releaseContainers.port, url: hosts.url })
    .from(releaseContainers)
    .innerJoin(hosts, eq(hosts.id, releaseContainers.hostId))
    .where(isNull(releaseContainers.removedAt))
    .all();
  return new Set(rows.filter((r) => addressOf(r.url) === address).map((r) => r.port));
}

export function setReleaseStatus(id: number, status: ReleaseStatus, extra: Partial<ReleaseRow> = {}, tx: Tx = db()): void {
  tx.update(releases)
    .set({ status, ...extra })
    .where(eq(releases.id, id))
    .run();
}

/** The live release number of each named service (services without one are left out). */
export function liveReleaseNumbers(serviceNames: string[]): { service: string; number: number }[] {
  if (serviceNames.length === 0) return [];
  return db()
    .select({ service: services.name, number: releases.number })
    .from(releases)
    .innerJoin(services, eq(services.id, releases.serviceId))
    .where(and(inArray(services.name, serviceNames), eq(releases.status, "live")))
    .all();
}

export function insertReleaseContainer(values: typeof releaseContainers.$inferInsert): ReleaseContainerRow {
  return db().insert(releaseContainers).values(values).returning().get();
}

/** The engine's id of a container row, recorded as soon as the engine created it. */
export function setContainerDockerId(id: number, dockerId: string): void {
  db().update(releaseContainers).set({ dockerId }).where(eq(releaseContainers.id, id)).run();
}

/** A container row closed: its container is gone (or never was), so it no longer counts as active. */
export function markContainerRemoved(tx: Tx, id: number, at = new Date()): void {
  tx.update(releaseContainers).set({ removedAt: at }).where(eq(releaseContainers.id, id)).run();
}

/** The container left traffic for a quarantine at `at`; null puts it back (the quarantine did not happen). */
export function markContainerQuarantined(tx: Tx, id: number, at: Date | null): void {
  tx.update(releaseContainers).set({ quarantinedAt: at }).where(eq(releaseContainers.id, id)).run();
}

/** The service name and release number a release's containers carry in their labels. */
export function serviceAndNumberOfRelease(releaseId: number): { service: string; number: number } | undefined {
  return db()
    .select({ number: releases.number, service: services.name })
    .from(releases)
    .innerJoin(services, eq(services.id, releases.serviceId))
    .where(eq(releases.id, releaseId))
    .get();
}

/** Containers on a host that have not been removed, with their release and service. */
export function activeContainersOnHost(hostId: number) {
  return db()
    .select({ container: releaseContainers, release: releases, service: services })
    .from(releaseContainers)
    .innerJoin(releases, eq(releases.id, releaseContainers.releaseId))
    .innerJoin(services, eq(services.id, releases.serviceId))
    .where(and(eq(releaseContainers.hostId, hostId), isNull(releaseContainers.removedAt)))
    .all();
}

/**
 * Replacements started for a quarantine that its row does not name yet:
 * active containers of the same release on the same host, created after the
 * container was quarantined (other than that container).
 */
export function unfinishedReplacements(q: {
  serviceName: string;
  releaseNumber: number;
  hostId: number;
  releaseContainerId: number;
  quarantinedAt: Date;
}): ReleaseContainerRow[] {
  return db()
    .select()
    .from(releaseContainers)
    .innerJoin(releases, eq(releases.id, releaseContainers.releaseId))
    .innerJoin(services, eq(services.name, q.serviceName))
    .where(
      and(
        eq(releases.serviceId, services.id),
        eq(releases.number, q.releaseNumber),
        eq(releaseContainers.hostId, q.hostId),
        ne(releaseContainers.id, q.releaseContainerId),
        gt(releaseContainers.createdAt, q.quarantinedAt),
        isNull(releaseContainers.removedAt),
      ),
    )
    .all()
    .map((r) => r.release_containers);
}

export function insertReleaseRow(tx: Tx, values: typeof releases.$inferInsert): ReleaseRow {
  return tx.insert(releases).values(values).returning().get();
}

/** The service's releases in any of these statuses (every service's when no serviceId is given). */
export function releasesWithStatuses(statuses: readonly ReleaseStatus[], serviceId?: number, tx: Tx = db()): ReleaseRow[] {
  return tx
    .select()
    .from(releases)
    .where(and(serviceId === undefined ? undefined : eq(releases.serviceId, serviceId), inArray(releases.status, [...statuses])))
    .all();
}

/** Ids of the service's retired or failed releases that still have containers (not quarantined ones) to remove. */
export function releasesWithLeftoverContainers(serviceId: number): number[] {
  return db()
    .selectDistinct({ id: releases.id })
    .from(releaseContainers)
    .innerJoin(releases, eq(releases.id, releaseContainers.releaseId))
    .where(
      and(
        eq(releases.serviceId, serviceId),
        inArray(releases.status, ["retired", "failed"]),
        isNull(releaseContainers.removedAt),
        isNull(releaseContainers.quarantinedAt),
      ),
    )
    .all()
    .map((r) => r.id);
}

/** Every container not removed yet, with what the traffic history files its HAProxy server under. */
export function activeServerOwners() {
  return db()
    .select({
      serviceName: services.name,
      serviceSpec: services.spec,
      releaseNumber: releases.number,
      releaseStatus: releases.status,
      hostName: hosts.name,
      serverName: releaseContainers.serverName,
    })
    .from(releaseContainers)
    .innerJoin(releases, eq(releases.id, releaseContainers.releaseId))
    .innerJoin(services, eq(services.id, releases.serviceId))
    .innerJoin(hosts, eq(hosts.id, releaseContainers.hostId))
    .where(isNull(releaseContainers.removedAt))
    .all();
}

/** Every release of a service by number, read inside the caller's transaction. */
export function releasesByNumberIn(tx: Tx, serviceId: number): Map<number, ReleaseRow> {
  return new Map(
    tx
      .select()
      .from(releases)
      .where(eq(releases.serviceId, serviceId))
      .all()
      .map((r) => [r.number, r]),
  );
}

/** The HAProxy server name recorded for a release container (kept after it was removed). */
export function serverNameOfContainer(id: number): string | undefined {
  return db().select({ serverName: releaseContainers.serverName }).from(releaseContainers).where(eq(releaseContainers.id, id)).get()
    ?.serverName;
}
