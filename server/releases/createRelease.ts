import "server-only";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { AppError } from "@/server/errors";
import { dockerForHost, hostRowByName } from "@/server/hosts/hostRegistry";
import type { ServiceRow } from "@/server/services/serviceRows";
import { specOf } from "@/server/services/serviceRows";
import type { DeployInput, ServiceSpec } from "@/server/services/serviceSpecInput";
import { withCurrentHaproxy } from "@/server/routing/desiredRouting";
import { requestedReference } from "./imageReference";
import { resolveDigest } from "./resolveDigest";
import { liveReleaseForSpecChange } from "./specChangeSinceLive";
import { insertReleaseRow, nextReleaseNumber, releaseByNumber, releaseWithStatus, type ReleaseRow } from "./releaseRows";

export type ReleasePlan = { imageRef: string; digest: string; pinned: string; spec: ServiceSpec; note: string };

/**
 * What a deploy will run, pinned by digest:
 * - deploy: the asked tag resolved through the registry now, with the current spec;
 * - redeploy: the live release's digest and spec (fresh containers, nothing carried over);
 * - replay: an earlier release's digest and spec, exactly;
 * - spec change: the live release's digest with the current (edited) spec.
 */
export async function planRelease(service: ServiceRow, kind: "deploy" | "redeploy", input: DeployInput | null): Promise<ReleasePlan> {
  if (kind === "redeploy" || input?.replayRelease) {
    const source = kind === "redeploy" ? releaseWithStatus(service.id, "live") : releaseByNumber(service.id, input!.replayRelease!);
    if (!source) throw new AppError("CONFLICT", `${service.name} has no live release to redeploy.`);
    if (!source.imageDigest) throw new AppError("CONFLICT", `Release ${source.number} never resolved to a digest; it cannot be replayed.`);
    const repo = source.imageDigest.split("@")[0]!;
    return {
      imageRef: source.imageRef,
      digest: source.imageDigest.split("@")[1]!,
      pinned: source.imageDigest,
      // Routing follows the service's current backends, not the ones of the source's day (the release records what it used).
      spec: withCurrentHaproxy(specOf(source), specOf(service)),
      note: kind === "redeploy" ? `redeploy of release ${source.number}` : `replay of release ${source.number} (${repo})`,
    };
  }
  const spec = specOf(service);
  if (input?.specChange) {
    const live = liveReleaseForSpecChange(service);
    const pinned = live.imageDigest!;
    return {
      imageRef: live.imageRef,
      digest: pinned.split("@")[1]!,
      pinned,
      spec,
      note: `spec change on release ${live.number}'s image (${pinned.split("@")[1]!.slice(0, 19)}…)`,
    };
  }
  const imageRef = requestedReference(spec.image, input!.image!);
  const firstHost = hostRowByName(spec.placement[0]!.host);
  const resolved = await resolveDigest(dockerForHost(firstHost, 20_000), imageRef);
  return { imageRef, digest: resolved.digest, pinned: resolved.pinned, spec, note: `${imageRef} → ${resolved.digest.slice(0, 19)}…` };
}

export function insertRelease(service: ServiceRow, plan: ReleasePlan, actor: Actor | null): ReleaseRow {
  return db().transaction((tx) => {
    const number = nextReleaseNumber(service.id);
    return insertReleaseRow(tx, {
      serviceId: service.id,
      number,
      imageRef: plan.imageRef,
      imageDigest: plan.pinned,
      spec: JSON.stringify(plan.spec),
      status: "deploying",
      createdBy: actor?.username ?? "system",
      createdAt: new Date(),
    });
  });
}
