import "server-only";
import { db } from "@/db/client";
import { ifFound } from "@/server/errors";
import { dockerForHost, hostRow } from "@/server/hosts/hostRegistry";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { finishOperation, noteStep, serviceOfOperation, stepDone, type OperationRow } from "@/server/operations/operationLog";
import { markContainerRemoved, unfinishedReplacements } from "@/server/releases/releaseRows";
import { applyServiceRouting } from "@/server/routing/applyServiceRouting";
import { serviceByName, specOf } from "@/server/services/serviceRows";
import { logQuarantine, quarantineByOperation, updateQuarantine } from "./quarantineRows";

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
  const q = quarantineByOperation(op.id);
  if (!q) {
    noteStep(op.id, "undone after restart: nothing had changed", "undone");
    finishOperation(op.id, "undone", "interrupted by a server restart before the container was marked quarantined");
    const service = serviceOfOperation(op);
    recordEvent({
      actor: "system",
      action: "recovery.quarantine",
      outcome: "ok",
      serviceName: service?.name,
      message: `quarantine operation #${op.id} interrupted by a restart before the container was marked; nothing had changed`,
    });
    return;
  }
  const host = ifFound(() => hostRow(q.hostId));
  let replacementId = q.replacementContainerId;
  if (host && replacementId === null) {
    const unfinished = unfinishedReplacements(q);
    // Its step recorded done, the replacement passed its health gate (and may already serve): the crash came
    // before the quarantine row named it. Keep it; only a replacement cut off before its gate is removed.
    const healthy = stepDone(op.id, "start a replacement")
      ? unfinished.filter((r) => r.dockerId).sort((a, b) => b.id - a.id)[0]
      : undefined;
    if (healthy) {
      replacementId = healthy.id;
      updateQuarantine(q.id, { replacementContainerId: healthy.id });
    }
    for (const r of unfinished) {
      if (r.id === replacementId) continue;
      if (r.dockerId)
        await dockerForHost(host, 30_000)
          .getContainer(r.dockerId)
          .remove({ force: true })
          .catch(() => undefined);
      markContainerRemoved(db(), r.id);
    }
  }
  const service = ifFound(() => serviceByName(q.serviceName));
  if (service) await applyServiceRouting(service.id, specOf(service)).catch(() => undefined);
  if (host)
    await dockerForHost(host, 15_000)
      .getContainer(q.dockerId)
      .rename({ name: q.quarantinedName })
      .catch(() => undefined);
  const missing = replacementId === null ? " without a replacement (capacity is one short until the next deploy)" : "";
  noteStep(op.id, `completed after restart: kept quarantined${missing}, routing re-applied`, replacementId === null ? "failed" : "done");
  finishOperation(
    op.id,
    replacementId === null ? "failed" : "succeeded",
    missing ? `interrupted by a server restart: quarantined${missing}` : undefined,
  );
  logQuarantine("system", q, "recovery", "ok", `quarantine #${q.id} interrupted by a restart was completed as recorded${missing}`);
}
