import "server-only";
import { applyServiceRouting } from "@/server/routing/applyServiceRouting";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";
import { setReleaseStatus, type ReleaseRow } from "./releaseRows";
import { removeReleaseContainers } from "./removeReleaseContainers";

/** A candidate that never went live: out of the preview, containers removed. */
export async function discardCandidate(serviceId: number, candidate: ReleaseRow, spec: ServiceSpec): Promise<void> {
  setReleaseStatus(candidate.id, "retired", { retiredAt: new Date(), failureReason: "replaced by a newer deploy before going live" });
  await applyServiceRouting(serviceId, spec);
  const left = await removeReleaseContainers([candidate.id]);
  if (left.length) throw new Error(`could not remove ${left.join("; ")}`);
}
