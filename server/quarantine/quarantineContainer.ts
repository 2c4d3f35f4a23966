import "server-only";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { invalid } from "@/server/errors";
import { hostRow } from "@/server/hosts/hostRegistry";
import { beginOperation, setOperationRelease } from "@/server/operations/operationLog";
import { trackOperation } from "@/server/operations/operationTracker";
import { activeContainersOf, markContainerQuarantined } from "@/server/releases/releaseRows";
import { specOf } from "@/server/services/serviceRows";
import { haproxySocket } from "@/server/routing/applyServiceRouting";
import { DEFAULT_LIFETIME_S } from "./constants";
import { findQuarantineTarget } from "./findQuarantineTarget";
import { QuarantineInput } from "./quarantineInput";
import { lifetimeProblem, quarantineOrder, quarantinedName, warningAt } from "./quarantineRules";
import { insertQuarantine, logQuarantine, quarantineLimits, setQuarantinedName } from "./quarantineRows";
import { runQuarantine } from "./runQuarantine";

/**
 * Quarantine: everything is checked before anything changes (a bad request
 * changes nothing); then the operation starts (409 while another runs on the
 * service), the container is marked quarantined with its deadline, and the
 * steps run server-side (runQuarantine). `done` settles when they end.
 */
export async function quarantineContainer(actor: Actor, raw: QuarantineInput) {
  const input = QuarantineInput.parse(raw);
  const limits = quarantineLimits();
  const lifetimeS = input.lifetimeS ?? DEFAULT_LIFETIME_S;
  const problem = lifetimeProblem(lifetimeS, limits);
  if (problem) throw invalid(problem);
  const host = hostRow(input.hostId);
  const { container, release, service } = await findQuarantineTarget(host, input.container);
  if (specOf(release).haproxy) haproxySocket(); // 503 before anything changes when routing is impossible

  const op = beginOperation(service.id, service.name, "quarantine", actor, {
    container: container.name,
    host: host.name,
    lifetimeS,
    reason: input.reason,
  });
  setOperationRelease(op.id, release.id);
  const now = new Date();
  const others = activeContainersOf([release.id]).filter((c) => c.container.id !== container.id && !c.container.quarantinedAt).length;
  const q = db().transaction((tx) => {
    const row = insertQuarantine(tx, {
      releaseContainerId: container.id,
      hostId: host.id,
      hostName: host.name,
      dockerId: container.dockerId!,
      originalName: container.name,
      quarantinedName: container.name,
      serviceName: service.name,
      releaseNumber: release.number,
      operationId: op.id,
      reason: input.reason,
      quarantinedBy: actor.username,
      quarantinedAt: now,
      deadline: new Date(now.getTime() + lifetimeS * 1000),
      status: "active",
    });
    markContainerQuarantined(tx, container.id, now);
    return setQuarantinedName(tx, row.id, quarantinedName(container.name, row.id));
  });
  const deadline = q.deadline!.getTime();
  logQuarantine(actor, q, "start", "info", `${container.name} on ${host.name} quarantined: ${input.reason}`, {
    reason: input.reason,
    lifetimeS,
    deadline: q.deadline!.toISOString(),
    warnAt: new Date(warningAt(deadline, now.getTime(), limits)).toISOString(),
  });
  const order = quarantineOrder(others);
  const done = trackOperation(
    op.id,
    runQuarantine({ opId: op.id, actor, q, container, release, service, host, order, isolateNetwork: input.isolateNetwork ?? false }),
  );
  return { quarantineId: q.id, operationId: op.id, done };
}
