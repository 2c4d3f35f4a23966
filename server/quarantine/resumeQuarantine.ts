import "server-only";
import { and, eq, gt, isNull, ne } from "drizzle-orm";
import { db } from "@/db/client";
import { hosts, quarantines, releaseContainers, releases, services } from "@/db/schema";
import { dockerForHost } from "@/server/hosts/hostRegistry";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { finishOperation, noteStep, stepDone, type OperationRow } from "@/server/operations/operationLog";
import { applyServiceRouting } from "@/server/routing/applyServiceRouting";
import { specOf } from "@/server/services/serviceRows";
import { logQuarantine, updateQuarantine } from "./quarantineRows";

/**
 * After a restart, a quarantine operation that was cut off: the container
 * stays quarantined (it was marked before any step ran) and on its timer; a
 * replacement whose step is recorded done (it passed its health gate) is kept,
 * one that was still being started is removed (it never passed its gate);
 * routing is re-applied as recorded, which takes the container out of HAProxy
 * if it was still there; the rename is retried. Capacity is one short until
 * the next deploy, and the operation says so.
 */
export async function resumeQuarantine(op: OperationRow): Promise<void> {
  const q = db().select().from(quarantines).where(eq(quarantines.operationId, op.id)).get();
  if (!q) {
    noteStep(op.id, "undone after restart: nothing had changed", "undone");
    finishOperation(op.id, "undone", "interrupted by a server restart before the container was marked quarantined");
    const service = op.serviceId ? db().select().from(services).where(eq(services.id, op.serviceId)).get() : undefined;
    recordEvent({ actor: "system", action: "recovery.quarantine", outcome: "ok", serviceName: service?.name, message: `quarantine operation #${op.id} interrupted by a restart before the container was marked; nothing had changed` });
    return;
  }
  const host = db().select().from(hosts).where(eq(hosts.id, q.hostId)).get();
  let replacementId = q.replacementContainerId;
  if (host && replacementId === null) {
    const unfinished = db()
      .select()
      .from(releaseContainers)
      .innerJoin(releases, eq(releases.id, releaseContainers.releaseId))
      .innerJoin(services, eq(services.name, q.serviceName))
      .where(and(eq(releases.serviceId, services.id), eq(releases.number, q.releaseNumber), eq(releaseContainers.hostId, q.hostId), ne(releaseContainers.id, q.releaseContainerId), gt(releaseContainers.createdAt, q.quarantinedAt), isNull(releaseContainers.removedAt)))
      .all()
      .map((r) => r.release_containers);
    // Its step recorded done, the replacement passed its health gate (and may already serve): the crash came
    // before the quarantine row named it. Keep it; only a replacement cut off before its gate is removed.
    const healthy = stepDone(op.id, "start a replacement") ? unfinished.filter((r) => r.dockerId).sort((a, b) => b.id - a.id)[0] : undefined;
    if (healthy) {
      replacementId = healthy.id;
      updateQuarantine(q.id, { replacementContainerId: healthy.id });
    }
    for (const r of unfinished) {
      if (r.id === replacementId) continue;
      if (r.dockerId) await dockerForHost(host, 30_000).getContainer(r.dockerId).remove({ force: true }).catch(() => undefined);
      db().update(releaseContainers).set({ removedAt: new Date() }).where(eq(releaseContainers.id, r.id)).run();
    }
  }
  const service = db().select().from(services).where(eq(services.name, q.serviceName)).get();
  if (service) await applyServiceRouting(service.id, specOf(service)).catch(() => undefined);
  if (host) await dockerForHost(host, 15_000).getContainer(q.dockerId).rename({ name: q.quarantinedName }).catch(() => undefined);
  const missing = replacementId === null ? " without a replacement (capacity is one short until the next deploy)" : "";
  noteStep(op.id, `completed after restart: kept quarantined${missing}, routing re-applied`, replacementId === null ? "failed" : "done");
  finishOperation(op.id, replacementId === null ? "failed" : "succeeded", missing ? `interrupted by a server restart: quarantined${missing}` : undefined);
  logQuarantine("system", q, "recovery", "ok", `quarantine #${q.id} interrupted by a restart was completed as recorded${missing}`);
}
