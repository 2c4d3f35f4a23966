import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { db } from "@/db/client";
import { hosts, releaseContainers } from "@/db/schema";
import type { Actor } from "@/server/auth/actor";
import { conflict } from "@/server/errors";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { hostRow } from "./hostRegistry";

/** Removes a host from Switchyard (never touches the engine). Refused while releases run containers there. */
export function deleteHost(actor: Actor, id: number): void {
  const host = hostRow(id);
  db().transaction((tx) => {
    const inUse = tx
      .select({ id: releaseContainers.id })
      .from(releaseContainers)
      .where(and(eq(releaseContainers.hostId, id), isNull(releaseContainers.removedAt)))
      .get();
    if (inUse) throw conflict(`Host '${host.name}' still runs containers of a release; retire them first.`);
    tx.delete(hosts).where(eq(hosts.id, id)).run();
  });
  recordEvent({
    ...actorFields(actor),
    action: "host.delete",
    outcome: "ok",
    hostName: host.name,
    detail: { before: { name: host.name, url: host.url } },
  });
}
