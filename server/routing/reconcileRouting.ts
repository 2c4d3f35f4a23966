import "server-only";
import { runningOperationOf } from "@/server/operations/operationLog";
import { resumeOperations } from "@/server/operations/resumeOperations";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { releasesOf, releasesWithLeftoverContainers, releaseWithStatus } from "@/server/releases/releaseRows";
import { removeReleaseContainers } from "@/server/releases/removeReleaseContainers";
import { retireStandby } from "@/server/releases/retireStandby";
import { listServiceRows, specOf } from "@/server/services/serviceRows";
import { applyServiceRouting } from "./applyServiceRouting";
import { haproxyErrorMessage } from "./haproxyErrorMessage";
import { noteRoutingState } from "./routingPending";
import { rolloutOfOperation } from "@/server/rollouts/rolloutRows";
import { withRollout } from "@/server/rollouts/rolloutRunner";
import { syncManagedRouting } from "./managed/syncManagedRouting";

const globalForReconcile = globalThis as unknown as { switchyardReconcileError?: string | null };

/**
 * The dashboard never trusts HAProxy's memory: re-apply the routing SQLite
 * recorded (an HAProxy restart loses runtime servers), remove leftovers of
 * retired/failed releases, and retire standbys past their retire delay.
 */

/** Re-applies a service's routing while its rollout runs, in the rollout's queue; a failure is noted as routing pending. */
async function reapplyDuringRollout(service: { id: number; name: string; spec: string }, operationId: number): Promise<void> {
  const r = rolloutOfOperation(operationId);
  if (!r) return;
  try {
    const changes = await withRollout(r.id, () => applyServiceRouting(service.id, specOf(service)));
    if (changes.length)
      recordEvent({
        actor: "system",
        action: "routing.reconcile",
        outcome: "ok",
        serviceName: service.name,
        message: `HAProxy differed from the record during rollout #${r.id}; re-applied ${changes.length} change(s)`,
        detail: { commands: changes },
      });
    noteRoutingState(service.name, null);
  } catch (err) {
    // Not driven in this process (it resumes at the next start) or HAProxy refused: the next reconcile tries again.
    noteRoutingState(service.name, haproxyErrorMessage(err));
  }
}

export async function reconcileRouting(): Promise<void> {
  // First retry recoveries that failed earlier (e.g. HAProxy was down at start), so no service stays locked.
  await resumeOperations();
  // Managed routing: an include file lost or left behind (services deleted meanwhile) converges here, even for never-deployed services.
  await syncManagedRouting("reconcile").catch((err: unknown) => {
    const msg = `managed routing: ${haproxyErrorMessage(err)}`;
    if (globalForReconcile.switchyardReconcileError === msg) return;
    globalForReconcile.switchyardReconcileError = msg;
    recordEvent({ actor: "system", action: "routing.reconcile", outcome: "failed", message: msg });
  });
  for (const service of listServiceRows()) {
    const running = runningOperationOf(service.id);
    if (running) {
      // A rollout holds its service for its whole length (hours at a manual step): its recorded routing is still
      // re-applied (an HAProxy restart meanwhile), inside the rollout's own queue so it never interleaves with a step.
      if (running.kind === "rollout" && specOf(service).haproxy) await reapplyDuringRollout(service, running.id);
      continue;
    }
    // A service that was never deployed has not claimed its backend yet: leave it alone.
    if (releasesOf(service.id, 1).length === 0) continue;
    const spec = specOf(service);
    // A service without routing has nothing in HAProxy to re-apply; its leftovers and standby are still handled below.
    if (spec.haproxy)
      try {
        const changes = await applyServiceRouting(service.id, spec);
        if (changes.length) {
          recordEvent({
            actor: "system",
            action: "routing.reconcile",
            outcome: "ok",
            serviceName: service.name,
            message: `HAProxy differed from the record; re-applied ${changes.length} change(s)`,
            detail: { commands: changes },
          });
        }
        noteRoutingState(service.name, null);
        if (globalForReconcile.switchyardReconcileError) {
          globalForReconcile.switchyardReconcileError = null;
        }
      } catch (err) {
        const msg = haproxyErrorMessage(err);
        noteRoutingState(service.name, msg);
        if (globalForReconcile.switchyardReconcileError !== msg) {
          globalForReconcile.switchyardReconcileError = msg;
          recordEvent({ actor: "system", action: "routing.reconcile", outcome: "failed", serviceName: service.name, message: msg });
        }
      }
    const leftovers = releasesWithLeftoverContainers(service.id);
    if (leftovers.length) await removeReleaseContainers(leftovers);

    const standby = releaseWithStatus(service.id, "standby");
    if (
      standby &&
      spec.retireAfterS !== null &&
      standby.standbySince &&
      Date.now() - standby.standbySince.getTime() > spec.retireAfterS * 1000
    ) {
      await retireStandby(null, service.name, `retired automatically after ${spec.retireAfterS} s on standby`).catch(() => undefined);
    }
  }
}
