import "server-only";
import { and, desc, eq, like, or } from "drizzle-orm";
import { db } from "@/db/client";
import { driftResults, driftScanHosts } from "@/db/schema";
import { notFound } from "@/server/errors";
import { hostRowByName, type HostRow } from "@/server/hosts/hostRegistry";
import { lastFinishedHostScan, type ResultRow } from "./scanRows";

export type FoundResult = { host: HostRow; result: ResultRow; current: boolean };

/**
 * A container's newest result on a host, by docker ID (12+ hex characters) or
 * name. `current` says whether it is in the host's last completed scan (a
 * container gone since then keeps its history). 404 names what was not found.
 */
export function findResult(hostName: string, container: string): FoundResult {
  const host = hostRowByName(hostName);
  const byId = /^[0-9a-f]{12,64}$/.test(container) ? like(driftResults.dockerId, `${container}%`) : undefined;
  const row = db()
    .select({ r: driftResults })
    .from(driftResults)
    .innerJoin(driftScanHosts, eq(driftScanHosts.id, driftResults.scanHostId))
    .where(and(eq(driftScanHosts.hostId, host.id), byId ? or(byId, eq(driftResults.name, container)) : eq(driftResults.name, container)))
    .orderBy(desc(driftResults.id))
    .get();
  if (!row) throw notFound(`Container '${container}' on host '${host.name}' (in the drift scans)`);
  const last = lastFinishedHostScan(host.id);
  return { host, result: row.r, current: last?.id === row.r.scanHostId };
}
