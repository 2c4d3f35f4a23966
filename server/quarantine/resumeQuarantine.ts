import "server-only";
import { and, eq, gt, isNull, ne } from "drizzle-orm";
import { db } from "@/db/client";
import { hosts, quarantines, releaseContainers, releases, services } from "@/db/schema";
import { dockerForHost } from "@/server/hosts/hostRegistry";
import { finishOperation, noteStep, type OperationRow } from "@/server/operations/operationLog";
import { applyServiceRouting } from "@/server/routing/applyServiceRouting";
import { specOf } from "@/server/services/serviceRows";
import { logQuarantine } from "./quarantineRows";

/**
 * After a restart, a quarantine operation that was cut off: the container
 * stays quarantined (it was marked before any step ran) and on its timer; a
 * replacement that was being started is removed (it never passed its gate);
 * routing is re-applied as recorded, which takes the container out of HAProxy
 * if it was still there; the rename is retried. Capacity is one short until
 * the next deploy, and the operation says so.
 */
export async function resumeQuarantine(op: OperationRow): Promise<void> {
  const q = db().select().from(quarantines).where(eq(quarantines.operationId, op.id)).get();
  if (!q) {
    noteStep(op.id, "undone after restart: nothing had changed", "undone");
    finishOperation(op.id, "undone", "interrupted by a server restart before the container was marked quarantined");
    return;
  }
  const host = db().select().from(hosts).where(eq(hosts.id, q.hostId)).get();
  if (host && q.replacementContainerId === null) {
    const unfinished = db()
      .select()
      .from(releaseContainers)
      .innerJoin(releases, eq(releases.id, releaseContainers.releaseId))
      .innerJoin(services, eq(services.name, q.serviceName))
      .where(and(eq(releases.serviceId, services.id), eq(releases.number, q.releaseNumber), eq(releaseContainers.hostId, q.hostId), ne(releaseContainers.id, q.releaseContainerId), gt(releaseContainers.createdAt, q.quarantinedAt), isNull(releaseContainers.removedAt)))
      .all();
    for (const { release_containers: r } of unfinished) {
      if (r.dockerId) await dockerForHost(host, 30_000).getContainer(r.dockerId).remove({ force: true }).catch(() => undefined);
      db().update(releaseContainers).set({ removedAt: new Date() }).where(eq(releaseContainers.id, r.id)).run();
    }
  }
  const service = db().select().from(services).where(eq(services.name, q.serviceName)).get();
  if (service) await applyServiceRouting(service.id, specOf(service)).catch(() => undefined);
  if (host) await dockerForHost(host, 15_000).getContainer(q.dockerId).rename({ name: q.quarantinedName }).catch(() => undefined);
  const missing = q.replacementContainerId === null ? " without a replacement (capacity is one short until the next deploy)" : "";
  noteStep(op.id, `completed after restart: kept quarantined${missing}, routing re-applied`, q.replacementContainerId === null ? "failed" : "done");
  finishOperation(op.id, q.replacementContainerId === null ? "failed" : "succeeded", missing ? `interrupted by a server restart: quarantined${missing}` : undefined);
  logQuarantine("system", q, "recovery", "ok", `quarantine #${q.id} interrupted by a restart was completed as recorded${missing}`);
}
