import "server-only";
import type { Actor } from "@/server/auth/actor";
import { conflict, errorMessage } from "@/server/errors";
import { operationWithSteps } from "@/server/operations/operationLog";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { actorFields } from "@/server/releaseLog/actorFields";
import { deployRelease } from "@/server/releases/deployRelease";
import { releaseById, releaseWithStatus } from "@/server/releases/releaseRows";
import { retireStandby } from "@/server/releases/retireStandby";
import { switchTraffic } from "@/server/releases/switchTraffic";
import { serviceByName } from "@/server/services/serviceRows";
import { fleetReport } from "./driftReport";
import { currentScan, startScan } from "./runScan";

async function finish(
  actor: Actor,
  service: string,
  liveNumber: number,
  operationId: number,
  done: Promise<void>,
): Promise<{ ok: boolean; message: string }> {
  const log = (outcome: "ok" | "failed", message: string, releaseNumber?: number) =>
    recordEvent({ ...actorFields(actor), action: "drift.replace", outcome, serviceName: service, releaseNumber, message });
  try {
    await done;
    const op = operationWithSteps(operationId);
    const fresh = op?.releaseId ? releaseById(op.releaseId) : undefined;
    if (op?.status !== "succeeded" || !fresh)
      throw new Error(`redeploy #${operationId} ${op?.status ?? "vanished"}${op?.error ? `: ${op.error}` : ""}`);
    if (fresh.status === "candidate") await switchTraffic(actor, service, "switch");
    const standby = releaseWithStatus(serviceByName(service).id, "standby");
    if (standby?.number === liveNumber)
      await retireStandby(actor, service, `drifted containers of release ${liveNumber} replaced by release ${fresh.number}`);
    const message = `drifted containers of release ${liveNumber} replaced by release ${fresh.number} (fresh containers, same digest and spec)`;
    log("ok", message, fresh.number);
    return { ok: true, message };
  } catch (err) {
    const message = `replacing the drifted containers of release ${liveNumber} failed: ${errorMessage(err)}`;
    log("failed", message, liveNumber);
    return { ok: false, message };
  } finally {
    // Judge the new containers at once rather than at the next scheduled scan.
    await currentScan()?.done;
    void startScan("replace", actor).done;
  }
}

/**
 * Replace drifted containers: Redeploy the live release (fresh containers from
 * the same digest and spec, health-gated, in preview), switch traffic to them,
 * and retire the drifted ones. Zero downtime; every step is in the release log.
 */
export function replaceDrifted(actor: Actor, serviceName: string) {
  const service = serviceByName(serviceName);
  const live = releaseWithStatus(service.id, "live");
  if (!live) throw conflict(`${service.name} has no live release to replace.`);
  const target = fleetReport().replaceable.find((r) => r.service === service.name);
  if (!target || target.release !== live.number)
    throw conflict(`The last drift scan found no drifted containers in ${service.name}'s live release ${live.number}; nothing to replace.`);
  const { operationId, done } = deployRelease(actor, service.name, "redeploy", null);
  recordEvent({
    ...actorFields(actor),
    action: "drift.replace",
    outcome: "info",
    serviceName: service.name,
    releaseNumber: live.number,
    message: `replacing drifted ${target.containers.map((c) => `${c.name} on ${c.host}`).join(", ")}: redeploy #${operationId}`,
  });
  const finished = finish(actor, service.name, live.number, operationId, done);
  return { operationId, release: live.number, containers: target.containers, finished };
}
