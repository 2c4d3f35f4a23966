import "server-only";
import { inArray } from "drizzle-orm";
import { db } from "@/db/client";
import { releases } from "@/db/schema";
import { publicSpec } from "./publicSpec";
import { listServiceRows, specOf } from "./serviceRows";

export function listServices() {
  const rows = listServiceRows();
  const active = db()
    .select({ serviceId: releases.serviceId, number: releases.number, status: releases.status, imageRef: releases.imageRef })
    .from(releases)
    .where(inArray(releases.status, ["live", "candidate", "standby", "deploying"]))
    .all();
  return rows.map((s) => {
    const mine = active.filter((r) => r.serviceId === s.id);
    const pick = (status: string) => mine.find((r) => r.status === status) ?? null;
    return { name: s.name, spec: publicSpec(specOf(s)), live: pick("live"), candidate: pick("candidate"), standby: pick("standby"), deploying: pick("deploying") };
  });
}
/** One entry of GET /api/services */
export type ServiceSummary = ReturnType<typeof listServices>[number];
