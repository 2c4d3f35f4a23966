import "server-only";
import { notFound } from "@/server/errors";
import { listHostRows } from "@/server/hosts/hostRegistry";
import { scanHostView, scanView } from "./resultView";
import { scanHostsOf, scanRow } from "./scanRows";

/** A scan with its progress: hosts reported so far, containers scanned of those listed. */
export function scanStatus(id: number) {
  const scan = scanRow(id);
  if (!scan) throw notFound(`Drift scan ${id}`);
  const hosts = scanHostsOf(id).map(scanHostView);
  const waiting = listHostRows()
    .filter((h) => !hosts.some((x) => x.host === h.name))
    .map((h) => h.name);
  return {
    scan: scanView(scan),
    progress: {
      hostsDone: hosts.filter((h) => h.status !== "running").length,
      hostsTotal: scan.hostsTotal,
      containersDone: hosts.reduce((a, h) => a + h.containersDone, 0),
      containersTotal: hosts.reduce((a, h) => a + h.containersTotal, 0),
    },
    hosts,
    waiting: scan.status === "running" ? waiting : [],
  };
}
