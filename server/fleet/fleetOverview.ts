import "server-only";
import { listHostRows } from "@/server/hosts/hostRegistry";
import { probeHost, type HostStatus } from "@/server/hosts/probeHost";
import { hostView, type HostView } from "@/server/hosts/hostView";

export type FleetHost = HostView & { status: HostStatus };

/** Every host probed in parallel; one slow or dead engine never holds up the others past the timeout. */
export async function fleetOverview(): Promise<FleetHost[]> {
  const rows = listHostRows();
  const statuses = await Promise.all(rows.map((r) => probeHost(r)));
  return rows.map((r, i) => {
    const status = statuses[i]!;
    // probeHost updated the row; reflect it without re-reading.
    const view = hostView(r);
    if (status.reachable) return { ...view, lastSeenAt: status.checkedAt, lastError: null, lastErrorAt: null, status };
    return { ...view, lastError: status.error, lastErrorAt: status.checkedAt, status };
  });
}
