import "server-only";
import type Docker from "dockerode";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { releases, services } from "@/db/schema";
import { LABELS } from "./containerNaming";

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
  const owner = db()
    .select({ number: releases.number, service: services.name })
    .from(releases)
    .innerJoin(services, eq(services.id, releases.serviceId))
    .where(eq(releases.id, releaseId))
    .get();
  const labels = info.Config?.Labels ?? {};
  if (!owner || labels[LABELS.service] !== owner.service || labels[LABELS.release] !== String(owner.number)) return null;
  return info.Id;
}
