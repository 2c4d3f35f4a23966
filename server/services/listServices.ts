import "server-only";
import { releasesWithStatuses } from "@/server/releases/releaseRows";
import { publicSpec } from "./publicSpec";
import { listServiceRows, specOf } from "./serviceRows";

export function listServices() {
  const rows = listServiceRows();
  const active = releasesWithStatuses(["live", "candidate", "standby", "deploying"]);
  return rows.map((s) => {
    const mine = active.filter((r) => r.serviceId === s.id);
    const pick = (status: string) => {
      const r = mine.find((m) => m.status === status);
      return r ? { serviceId: r.serviceId, number: r.number, status: r.status, imageRef: r.imageRef } : null;
    };
    return {
      name: s.name,
      spec: publicSpec(specOf(s)),
      live: pick("live"),
      candidate: pick("candidate"),
      standby: pick("standby"),
      deploying: pick("deploying"),
    };
  });
}
/** One entry of GET /api/services */
export type ServiceSummary = ReturnType<typeof listServices>[number];
