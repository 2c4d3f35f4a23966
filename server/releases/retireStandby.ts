import "server-only";
import type { Actor } from "@/server/auth/actor";
import { conflict, errorMessage } from "@/server/errors";
import { assertNoRunningOperation, beginOperation, finishOperation, runStep } from "@/server/operations/operationLog";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { applyServiceRouting } from "@/server/routing/applyServiceRouting";
import { serviceByName, specOf } from "@/server/services/serviceRows";
import { actorFields } from "@/server/releaseLog/actorFields";
import { releaseWithStatus, setReleaseStatus, type ReleaseRow } from "./releaseRows";
import { trackAwaited } from "@/server/operations/operationTracker";
import { removeReleaseContainers } from "./removeReleaseContainers";

/** Retire: the drained standby leaves HAProxy and its containers are removed. */
export async function retireStandby(actor: Actor | null, serviceName: string, reason = "retired by hand") {
  const service = serviceByName(serviceName);
  assertNoRunningOperation(service.id, service.name);
  const standby = releaseWithStatus(service.id, "standby");
  if (!standby) throw conflict(`${serviceName} has no standby release to retire.`);
  const op = beginOperation(service.id, service.name, "retire", actor, { release: standby.number });
  return trackAwaited(op.id, runRetire(op.id, actor, service, standby, reason));
}

async function runRetire(opId: number, actor: Actor | null, service: { id: number; name: string }, standby: ReleaseRow, reason: string) {
  const op = { id: opId };
  try {
    await runStep(op.id, `record: release ${standby.number} retired`, () =>
      setReleaseStatus(standby.id, "retired", { retiredAt: new Date() }),
    );
    const live = releaseWithStatus(service.id, "live");
    await runStep(op.id, "remove its servers from HAProxy", () => applyServiceRouting(service.id, specOf(live ?? standby)));
    await runStep(op.id, "stop and remove its containers", async () => {
      const left = await removeReleaseContainers([standby.id]);
      if (left.length) throw new Error(`could not remove ${left.join("; ")}; the background cleanup retries`);
    });
    finishOperation(op.id, "succeeded");
    recordEvent({
      ...actorFields(actor),
      action: "release.retire",
      outcome: "ok",
      serviceName: service.name,
      releaseNumber: standby.number,
      message: reason,
    });
    return { operationId: op.id, retired: standby.number };
  } catch (err) {
    finishOperation(op.id, "failed", errorMessage(err));
    recordEvent({
      ...actorFields(actor),
      action: "release.retire",
      outcome: "failed",
      serviceName: service.name,
      releaseNumber: standby.number,
      message: errorMessage(err),
    });
    throw err;
  }
}
