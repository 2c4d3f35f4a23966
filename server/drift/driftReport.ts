import "server-only";
import { liveReleaseNumbers } from "@/server/releases/releaseRows";
import { hostRowByName, listHostRows, type HostRow } from "@/server/hosts/hostRegistry";
import type { HostVerdict } from "./constants";
import { alerting, countVerdicts, hostVerdict } from "./evaluate";
import type { Gone } from "./hostEvaluation";
import { hostDrift, type HostFacts } from "./hostDrift";
import { resultView, scanHostView, scanView, type ResultView } from "./resultView";
import { lastFinishedHostScan, latestScanRow, resultsOf, runningScanRow, scanHostOf } from "./scanRows";

/** Engine facts from the host's last finished scan; null when that found it unreachable. */
function engineFacts(hostId: number): HostFacts | null {
  const finished = lastFinishedHostScan(hostId, { includeUnreachable: true });
  return finished?.status === "done" && finished.engine ? (JSON.parse(finished.engine) as HostFacts) : null;
}

/**
 * One host as the report shows it: its last finished scan (a running scan
 * replaces it once this host has reported). When the host was unreachable,
 * the containers of its last completed scan are shown, marked stale.
 */
function hostSection(host: HostRow, runningScanId: number | null) {
  const finished = lastFinishedHostScan(host.id, { includeUnreachable: true });
  const done = finished?.status === "done" ? finished : lastFinishedHostScan(host.id);
  const containers: ResultView[] = done ? resultsOf(done.id).map(resultView) : [];
  const progress = runningScanId ? scanHostOf(runningScanId, host.id) : undefined;
  const verdict: HostVerdict = hostVerdict(
    finished?.status ?? null,
    containers.map((c) => c.verdict),
  );
  const gone = done ? (JSON.parse(done.gone) as Gone[]) : [];
  return {
    host: host.name,
    hostId: host.id,
    verdict,
    scan: finished ? scanHostView(finished) : null,
    stale: Boolean(finished && finished.status !== "done"),
    progress: progress && progress.status === "running" ? scanHostView(progress) : null,
    engine: engineFacts(host.id),
    counts: countVerdicts(containers.map((c) => c.verdict)),
    new: containers.reduce((a, c) => a + c.new, 0),
    resolved: containers.reduce((a, c) => a + c.resolved, 0) + gone.reduce((a, g) => a + g.keys, 0),
    gone,
    containers,
  };
}
export type HostSection = ReturnType<typeof hostSection>;

/** Services whose live release has drifted containers: what "Replace drifted containers" would fix. */
function replaceable(sections: HostSection[]) {
  const drifted = sections.flatMap((s) =>
    s.containers.filter((c) => c.verdict === "drifted" && c.service).map((c) => ({ ...c, host: s.host })),
  );
  const names = [...new Set(drifted.map((c) => c.service!))];
  if (names.length === 0) return [];
  const live = liveReleaseNumbers(names);
  return live
    .map((l) => ({
      service: l.service,
      release: l.number,
      containers: drifted.filter((c) => c.service === l.service && c.release === l.number).map((c) => ({ host: c.host, name: c.name })),
    }))
    .filter((r) => r.containers.length > 0);
}

/** The fleet takes its worst host: drifted, unaccounted, unreachable, then not scanned, else clean. */
function fleetVerdict(hosts: HostVerdict[]): HostVerdict {
  for (const v of ["drifted", "unaccounted", "unreachable", "not-scanned"] as const) if (hosts.includes(v)) return v;
  return "clean";
}

/** The fleet report, read from stored scans only (no engine calls): answers at once. */
export function fleetReport() {
  const running = runningScanRow();
  const latest = latestScanRow();
  const sections = listHostRows().map((h) => hostSection(h, running?.id ?? null));
  const all = sections.flatMap((s) => s.containers);
  const counts = countVerdicts(all.map((c) => c.verdict));
  return {
    generatedAt: Date.now(),
    scan: latest ? scanView(latest) : null,
    running: running ? scanView(running) : null,
    summary: {
      verdict: fleetVerdict(sections.map((s) => s.verdict)),
      hosts: sections.length,
      hostsUnreachable: sections.filter((s) => s.verdict === "unreachable").length,
      containers: all.length,
      counts,
      alerting: all.filter((c) => alerting(c.verdict)).length,
      ignoredChanges: all.reduce((a, c) => a + c.counts.changesIgnored, 0),
      new: sections.reduce((a, s) => a + s.new, 0),
      resolved: sections.reduce((a, s) => a + s.resolved, 0),
    },
    hostDrift: hostDrift(sections.map((s) => ({ name: s.host, facts: s.engine }))),
    replaceable: replaceable(sections),
    hosts: sections,
  };
}
export type FleetReport = ReturnType<typeof fleetReport>;

/** One host's part of the report (404 for an unknown host). */
export function hostReport(hostName: string) {
  const host = hostRowByName(hostName);
  const running = runningScanRow();
  const section = hostSection(host, running?.id ?? null);
  const drift = hostDrift(listHostRows().map((h) => ({ name: h.name, facts: engineFacts(h.id) })));
  return { ...section, hostDrift: drift, oddOneOut: drift.oddHosts.includes(host.name) };
}
