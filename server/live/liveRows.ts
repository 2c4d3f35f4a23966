import "server-only";
import { and, asc, eq, isNull } from "drizzle-orm";
import { db } from "@/db/client";
import { operations, operationSteps, releaseContainers, releases, services } from "@/db/schema";

/** An operation with its steps and its service's name, as the stream sends it. */
export function operationForLive(opId: number) {
  const op = db().select().from(operations).where(eq(operations.id, opId)).get();
  if (!op) return undefined;
  const steps = db().select().from(operationSteps).where(eq(operationSteps.operationId, opId)).orderBy(asc(operationSteps.id)).all();
  const service = op.serviceId ? db().select({ name: services.name }).from(services).where(eq(services.id, op.serviceId)).get() : undefined;
  return { operation: { ...op, steps }, service: service?.name ?? null };
}

/** The services with a container on this host (or only the one with this Docker id). */
export function servicesOnHost(hostId: number, dockerId?: string): string[] {
  const rows = db()
    .selectDistinct({ name: services.name })
    .from(releaseContainers)
    .innerJoin(releases, eq(releases.id, releaseContainers.releaseId))
    .innerJoin(services, eq(services.id, releases.serviceId))
    .where(
      and(
        eq(releaseContainers.hostId, hostId),
        isNull(releaseContainers.removedAt),
        dockerId ? eq(releaseContainers.dockerId, dockerId) : undefined,
      ),
    )
    .all();
  return rows.map((r) => r.name);
}

/** Every routed service's HAProxy backends (live and preview), by backend name. */
export function serviceOfBackend(): Map<string, string> {
  const out = new Map<string, string>();
  for (const row of db().select({ name: services.name, spec: services.spec }).from(services).all()) {
    const haproxy = (JSON.parse(row.spec) as { haproxy?: { backend?: string; previewBackend?: string | null } | null }).haproxy;
    for (const backend of [haproxy?.backend, haproxy?.previewBackend]) if (backend) out.set(backend, row.name);
  }
  return out;
}
