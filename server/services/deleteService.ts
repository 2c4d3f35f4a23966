import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { db } from "@/db/client";
import { releases, services } from "@/db/schema";
import type { Actor } from "@/server/auth/actor";
import { conflict } from "@/server/errors";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { serviceByName, specOf } from "./serviceRows";
import { publicSpec } from "./publicSpec";

/** Deletes a service that runs nothing (every release retired or failed). */
export function deleteService(actor: Actor, name: string): void {
  const row = serviceByName(name);
  db().transaction((tx) => {
    const running = tx
      .select({ n: releases.number, s: releases.status })
      .from(releases)
      .where(and(eq(releases.serviceId, row.id), inArray(releases.status, ["live", "candidate", "standby", "deploying"])))
      .all();
    if (running.length) throw conflict(`${name} still runs release(s) ${running.map((r) => `${r.n} (${r.s})`).join(", ")}; retire them first.`);
    tx.delete(services).where(eq(services.id, row.id)).run();
  });
  recordEvent({ ...actorFields(actor), action: "service.delete", outcome: "ok", serviceName: name, detail: { before: publicSpec(specOf(row)) } });
}
