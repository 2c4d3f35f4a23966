import "server-only";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { conflict } from "@/server/errors";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { releasesWithStatuses } from "@/server/releases/releaseRows";
import { deleteServiceRow, serviceByName, specOf } from "./serviceRows";
import { publicSpec } from "./publicSpec";

/** Deletes a service that runs nothing (every release retired or failed). */
export function deleteService(actor: Actor, name: string): void {
  const row = serviceByName(name);
  db().transaction((tx) => {
    const running = releasesWithStatuses(["live", "candidate", "standby", "deploying"], row.id, tx);
    if (running.length)
      throw conflict(`${name} still runs release(s) ${running.map((r) => `${r.number} (${r.status})`).join(", ")}; retire them first.`);
    deleteServiceRow(tx, row.id);
  });
  recordEvent({
    ...actorFields(actor),
    action: "service.delete",
    outcome: "ok",
    serviceName: name,
    detail: { before: publicSpec(specOf(row)) },
  });
}
