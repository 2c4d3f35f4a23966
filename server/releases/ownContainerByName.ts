import "server-only";
import type Docker from "dockerode";
import { LABELS } from "./containerNaming";
import { serviceAndNumberOfRelease } from "./releaseRows";

/**
 * A container row without a recorded Docker ID (the create call failed, or
 * the server died right after it): find the container by name, but only if its
 * labels say it is this release's. A same-named container that is not ours
 * (another dashboard, a restored database) is never touched.
 */
export async function ownContainerByName(docker: Docker, releaseId: number, name: string): Promise<string | null> {
  const info = await docker
    .getContainer(name)
    .inspect()
    .catch((err: { statusCode?: number }) => {
      if (err.statusCode === 404) return null;
      throw err;
    });
  if (!info) return null;
  const owner = serviceAndNumberOfRelease(releaseId);
  const labels = info.Config?.Labels ?? {};
  if (!owner || labels[LABELS.service] !== owner.service || labels[LABELS.release] !== String(owner.number)) return null;
  return info.Id;
}
