import type { ContainerVerdict } from "./constants";
import type { Finding } from "./findings";
import type { ResultRow, ScanHostRow, ScanRow } from "./scanRows";

/** A container in the report (no secrets: findings never carry secret values). */
export function resultView(r: ResultRow) {
  const findings = JSON.parse(r.findings) as Finding[];
  const count = (c: Finding["category"]) => findings.filter((x) => x.category === c && !x.info).length;
  return {
    id: r.dockerId,
    shortId: r.dockerId.slice(0, 12),
    name: r.name,
    image: r.image,
    state: r.state,
    service: r.serviceName,
    release: r.releaseNumber,
    releaseStatus: r.releaseStatus,
    verdict: r.verdict as ContainerVerdict,
    quarantined: r.quarantined,
    incomplete: r.incomplete,
    note: r.note,
    counts: {
      image: count("image"),
      config: count("config"),
      info: findings.filter((x) => x.info).length,
      changes: r.changesTotal,
      changesIgnored: r.changesIgnored,
      changesEffective: r.changesEffective,
    },
    new: r.newCount,
    resolved: r.resolvedCount,
    scanId: r.scanId,
    scannedAt: r.scannedAt.getTime(),
  };
}
export type ResultView = ReturnType<typeof resultView>;

export function scanView(s: ScanRow) {
  return {
    id: s.id,
    trigger: s.trigger,
    actor: s.actor,
    status: s.status,
    hostsTotal: s.hostsTotal,
    error: s.error,
    startedAt: s.startedAt.getTime(),
    finishedAt: s.finishedAt?.getTime() ?? null,
  };
}

export function scanHostView(h: ScanHostRow) {
  return {
    scanId: h.scanId,
    host: h.hostName,
    status: h.status,
    error: h.error,
    containersTotal: h.containersTotal,
    containersDone: h.containersDone,
    notes: JSON.parse(h.notes) as string[],
    startedAt: h.startedAt.getTime(),
    finishedAt: h.finishedAt?.getTime() ?? null,
  };
}
