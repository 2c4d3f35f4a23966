import "server-only";
import { conflict } from "@/server/errors";
import { specOf, type ServiceRow } from "@/server/services/serviceRows";
import { releaseDiff, type ReleaseDiff } from "./releaseDiff";
import { releaseWithStatus, type ReleaseRow } from "./releaseRows";

/** The service's current (edited) spec against its live release's: what "Deploy spec change" would deploy. */
export function specChangeSinceLive(service: ServiceRow): { live: ReleaseRow; diff: ReleaseDiff } | null {
  const live = releaseWithStatus(service.id, "live");
  if (!live) return null;
  const diff = releaseDiff(
    { number: live.number, imageDigest: live.imageDigest, spec: specOf(live) },
    { number: live.number + 1, imageDigest: live.imageDigest, spec: specOf(service) },
  );
  return { live, diff };
}

/** The live release a spec change deploys from; 409 when nothing is live or the spec is the same as the live release's. */
export function liveReleaseForSpecChange(service: ServiceRow): ReleaseRow {
  const since = specChangeSinceLive(service);
  if (!since) throw conflict(`${service.name} has no live release: deploy a version first; a spec change reuses the live release's image.`);
  if (!since.live.imageDigest) throw conflict(`Release ${since.live.number} never resolved to a digest; deploy a version instead.`);
  if (since.diff.changes.length === 0) {
    throw conflict(
      `nothing to deploy: the spec is the same as release ${since.live.number}. Edit the spec first, or use Redeploy for fresh containers.`,
    );
  }
  return since.live;
}
