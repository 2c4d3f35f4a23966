import "server-only";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { conflict, errorMessage } from "@/server/errors";
import { assertNoRunningOperation, beginOperation, finishOperation, runStep } from "@/server/operations/operationLog";
import { trackAwaited } from "@/server/operations/operationTracker";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import {
  applyServiceRoutingReport,
  assertHaproxyReachable,
  withCurrentRouting,
  type RoutingApplied,
} from "@/server/routing/applyServiceRouting";
import { describeLiveRouting } from "@/server/routing/desiredRouting";
import { noteRoutingState } from "@/server/routing/routingPending";
import { serviceByName, specOf } from "@/server/services/serviceRows";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";
import { actorFields } from "@/server/releaseLog/actorFields";
import { releaseById, releaseWithStatus, setReleaseStatus, type ReleaseRow } from "./releaseRows";
import { checkSwitchTarget } from "./checkSwitchTarget";
import { recreateRollback, usesRecreate } from "./recreateRelease";
import { removeReleaseContainers } from "./removeReleaseContainers";
import { assertSmokePasses } from "./smokeTestCandidate";

export type SwitchRecord = { live: ReleaseRow; previousLive?: ReleaseRow; retiring?: ReleaseRow };

/**
 * The switch as one SQLite transaction: the new release becomes live, the
 * live one standby, and an older standby is retired. HAProxy is made to match
 * afterwards (routeAfterSwitch); after a crash the reconcile finishes it.
 */
export function commitSwitch(serviceId: number, next: ReleaseRow): SwitchRecord {
  return db().transaction(
    (tx) => {
      const now = new Date();
      const previousLive = releaseWithStatus(serviceId, "live", tx);
      const retiring = releaseWithStatus(serviceId, "standby", tx);
      const current = releaseById(next.id, tx);
      if (!current || (current.status !== "candidate" && current.status !== "standby")) {
        throw conflict(`Release ${next.number} is ${current?.status ?? "gone"}; only a candidate or standby can go live.`);
      }
      if (retiring && retiring.id !== next.id) setReleaseStatus(retiring.id, "retired", { retiredAt: now }, tx);
      if (previousLive) setReleaseStatus(previousLive.id, "standby", { standbySince: now }, tx);
      setReleaseStatus(next.id, "live", { liveSince: now, standbySince: null }, tx);
      return { live: next, previousLive, retiring: retiring && retiring.id !== next.id ? retiring : undefined };
    },
    { behavior: "immediate" },
  );
}

/** Applies the routing SQLite now records; says which live servers got weight and which were left out (host unreachable). */
export async function routeAfterSwitch(serviceId: number, spec: ServiceSpec, sw: SwitchRecord): Promise<RoutingApplied> {
  const applied = await applyServiceRoutingReport(serviceId, spec);
  if (sw.retiring) {
    const left = await removeReleaseContainers([sw.retiring.id]);
    if (left.length) console.warn(`[switchyard] retire after switch left containers: ${left.join("; ")}`);
  }
  return applied;
}

/** Switch traffic (candidate → live) or Rollback (standby → live): zero-downtime, recorded. */
export async function switchTraffic(actor: Actor | null, serviceName: string, kind: "switch" | "rollback") {
  const service = serviceByName(serviceName);
  assertNoRunningOperation(service.id, service.name);
  const target = releaseWithStatus(service.id, kind === "switch" ? "candidate" : "standby");
  if (!target) {
    throw conflict(
      kind === "switch"
        ? `${serviceName} has no healthy candidate to switch to; deploy one first.`
        : `${serviceName} has no standby release to roll back to.`,
    );
  }
  // A switch that commits while HAProxy is down would take effect later by surprise: refuse it first.
  const routing = withCurrentRouting(service.id, specOf(target));
  await assertHaproxyReachable(routing);
  // Servers on unreachable hosts count as down; refuse before recording anything unless the reachable ones are up.
  const live = releaseWithStatus(service.id, "live");
  if (!(kind === "rollback" && live && usesRecreate(specOf(live), routing))) await checkSwitchTarget(routing, target);
  // The candidate's smoke checks first (spec `smoke`); a rollback goes back to a release that served before, unchecked.
  if (kind === "switch") await assertSmokePasses(actor, service, target, "Switch");
  const op = beginOperation(service.id, service.name, kind, actor, { release: target.number });
  return trackAwaited(op.id, runSwitch(op.id, actor, service, target, kind));
}

async function runSwitch(
  opId: number,
  actor: Actor | null,
  service: { id: number; name: string },
  target: ReleaseRow,
  kind: "switch" | "rollback",
) {
  const op = { id: opId };
  const started = Date.now();
  try {
    // Route with the service's current backends, never the ones stored in the target's spec.
    const spec = withCurrentRouting(service.id, specOf(target));
    const live = releaseWithStatus(service.id, "live");
    // Recreate: the standby's containers are stopped and share the live ones' ports and volumes (server/releases/recreateRelease.ts).
    const recreate =
      kind === "rollback" && live && usesRecreate(specOf(live), spec) ? await recreateRollback(op.id, service.id, target, live) : undefined;
    const sw = recreate?.sw ?? (await runStep(op.id, `record: release ${target.number} live`, () => commitSwitch(service.id, target)));
    const routeStep = spec.haproxy ? "apply routing in HAProxy (new servers up, old ones drained)" : "no HAProxy routing: statuses only";
    let applied: RoutingApplied | undefined;
    if (!recreate) {
      applied = await runStep(op.id, routeStep, () => routeAfterSwitch(service.id, spec, sw), describeLiveRouting).catch((err) => {
        noteRoutingState(service.name, errorMessage(err));
        throw err;
      });
      noteRoutingState(service.name, null);
    }
    const routing = applied && { weighted: applied.weighted, leftOut: applied.leftOut };
    const leftOut = applied?.leftOut.length
      ? `; left out of traffic: ${applied.leftOut.map((s) => `${s.server} (${s.reason})`).join(", ")}`
      : "";
    finishOperation(op.id, "succeeded");
    recordEvent({
      ...actorFields(actor),
      action: kind === "switch" ? "release.switch" : "release.rollback",
      outcome: "ok",
      serviceName: service.name,
      releaseNumber: target.number,
      message: `release ${target.number} live${sw.previousLive ? `, release ${sw.previousLive.number} on standby` : ""}${sw.retiring ? `, release ${sw.retiring.number} retired` : ""}${leftOut}`,
      detail: {
        before: { live: sw.previousLive?.number ?? null },
        after: { live: target.number },
        ms: Date.now() - started,
        ...(recreate && { strategy: "recreate", gapMs: recreate.gapMs }),
        ...(routing && { routing }),
      },
    });
    return { operationId: op.id, live: target.number, standby: sw.previousLive?.number ?? null, ms: Date.now() - started, routing };
  } catch (err) {
    finishOperation(op.id, "failed", errorMessage(err));
    recordEvent({
      ...actorFields(actor),
      action: `release.${kind}`,
      outcome: "failed",
      serviceName: service.name,
      releaseNumber: target.number,
      message: errorMessage(err),
    });
    throw err;
  }
}
