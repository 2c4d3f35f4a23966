import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { releaseContainers, releases, services } from "@/db/schema";
import { LABELS } from "@/server/releases/containerNaming";
import type { ReleaseContainerRow, ReleaseRow } from "@/server/releases/releaseRows";
import { quarantineMarks } from "./quarantineMarks";

export type EngineContainer = { Id: string; Names: string[]; Image: string; State: string; Labels: Record<string, string> | null };

export type Accounting = {
  row: ReleaseContainerRow | null;
  release: ReleaseRow | null;
  serviceName: string | null;
  accounted: boolean;
  quarantined: boolean;
  note: string | null;
};

export const engineName = (c: EngineContainer) => (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, "");

/**
 * Which release accounts for each container on a host: the release_containers
 * row with its docker ID (or, for a deploy cut off before it recorded the ID,
 * its name). Labels alone account for nothing: another Switchyard, or a copy
 * started by hand, carries them too.
 */
export function accountingFor(hostId: number): (c: EngineContainer) => Accounting {
  const rows = db()
    .select({ c: releaseContainers, r: releases, service: services.name })
    .from(releaseContainers)
    .innerJoin(releases, eq(releases.id, releaseContainers.releaseId))
    .innerJoin(services, eq(services.id, releases.serviceId))
    .where(eq(releaseContainers.hostId, hostId))
    .all();
  const byId = new Map(rows.filter((x) => x.c.dockerId).map((x) => [x.c.dockerId!, x]));
  const byName = new Map(rows.filter((x) => !x.c.dockerId && !x.c.removedAt).map((x) => [x.c.name, x]));
  const marks = quarantineMarks();
  return (c) => {
    const hit = byId.get(c.Id) ?? byName.get(engineName(c));
    const quarantined = marks.has(hostId, c.Id, hit?.c.id);
    if (hit) {
      const removed = hit.c.removedAt !== null && !quarantined;
      return {
        row: hit.c,
        release: hit.r,
        serviceName: hit.service,
        accounted: !removed,
        quarantined,
        note: removed
          ? `release ${hit.r.number} of ${hit.service} recorded this container as removed`
          : hit.c.dockerId
            ? null
            : "matched by name: the deploy did not record its ID",
      };
    }
    const labels = c.Labels ?? {};
    const claimed = labels[LABELS.service]
      ? `labelled as ${labels[LABELS.service]} release ${labels[LABELS.release] ?? "?"}, but no release here has it`
      : null;
    return {
      row: null,
      release: null,
      serviceName: quarantined ? (labels[LABELS.service] ?? null) : null,
      accounted: false,
      quarantined,
      note: quarantined ? "quarantined" : claimed,
    };
  };
}
