import "server-only";
import { and, desc, eq, inArray, isNull, max } from "drizzle-orm";
import { db } from "@/db/client";
import { hosts, releaseContainers, releases, services } from "@/db/schema";
import { notFound } from "@/server/errors";
import { ServiceSpec } from "@/server/services/serviceSpecInput";
import type { ReleaseStatus } from "./constants";

export type ReleaseRow = typeof releases.$inferSelect;
export type ReleaseContainerRow = typeof releaseContainers.$inferSelect;

export function releaseSpec(r: ReleaseRow): ServiceSpec {
  return ServiceSpec.parse(JSON.parse(r.spec));
}

export function releasesOf(serviceId: number, limit = 50): ReleaseRow[] {
  return db().select().from(releases).where(eq(releases.serviceId, serviceId)).orderBy(desc(releases.number)).limit(limit).all();
}

export function releaseWithStatus(serviceId: number, status: ReleaseStatus): ReleaseRow | undefined {
  return db()
    .select()
    .from(releases)
    .where(and(eq(releases.serviceId, serviceId), eq(releases.status, status)))
    .orderBy(desc(releases.number))
    .get();
}

export function releaseByNumber(serviceId: number, number: number): ReleaseRow {
  const r = db().select().from(releases).where(and(eq(releases.serviceId, serviceId), eq(releases.number, number))).get();
  if (!r) throw notFound(`Release ${number}`);
  return r;
}

export function releaseById(id: number): ReleaseRow | undefined {
  return db().select().from(releases).where(eq(releases.id, id)).get();
}

export function nextReleaseNumber(serviceId: number): number {
  const row = db().select({ n: max(releases.number) }).from(releases).where(eq(releases.serviceId, serviceId)).get();
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

export function setReleaseStatus(id: number, status: ReleaseStatus, extra: Partial<ReleaseRow> = {}): void {
  db().update(releases).set({ status, ...extra }).where(eq(releases.id, id)).run();
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
