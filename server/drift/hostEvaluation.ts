import "server-only";
import { db } from "@/db/client";
import { listHostRows } from "@/server/hosts/hostRegistry";
import { changeSet } from "./changeSets";
import type { ContainerVerdict } from "./constants";
import { alerting, driftDelta, evaluate, type RawResult } from "./evaluate";
import type { Finding } from "./findings";
import type { IgnoreRule } from "./ignoreRules";
import { activeRules } from "./ignoreRuleRows";
import { lastFinishedHostScan, resultsOf, updateResultEvaluation, updateScanHostGone, type ResultRow, type ScanHostRow } from "./scanRows";

export type PreviousState = Map<string, { name: string; verdict: ContainerVerdict; keys: string[] }>;
export type Gone = { name: string; verdict: ContainerVerdict; keys: number };

const SAMPLE = 50;

export function rawOf(r: ResultRow): RawResult {
  return {
    accounted: r.accounted,
    quarantined: r.quarantined,
    incomplete: r.incomplete,
    serviceName: r.serviceName,
    findings: JSON.parse(r.findings) as Finding[],
    changes: changeSet(r.changeSet),
  };
}

/** The host's previous completed scan (before `beforeScanHostId`), evaluated under today's rules; null if there is none. */
export function previousState(hostId: number, beforeScanHostId: number, rules: IgnoreRule[]): PreviousState | null {
  const prev = lastFinishedHostScan(hostId, { beforeId: beforeScanHostId });
  if (!prev) return null;
  return new Map(resultsOf(prev.id).map((r) => [r.dockerId, { name: r.name, verdict: r.verdict, keys: evaluate(rawOf(r), rules).keys }]));
}

/** The verdict columns of a result: evaluation under the rules, and what is new or resolved since the previous scan. */
export function evaluationFields(raw: RawResult, dockerId: string, rules: IgnoreRule[], prev: PreviousState | null) {
  const e = evaluate(raw, rules);
  const d = driftDelta(prev ? (prev.get(dockerId)?.keys ?? []) : null, e.keys);
  return {
    verdict: e.verdict,
    changesIgnored: e.changesIgnored,
    changesEffective: e.changesEffective,
    findingsEffective: e.findingsEffective,
    newCount: d.added.length,
    resolvedCount: d.resolved.length,
    delta: JSON.stringify({ added: d.added.slice(0, SAMPLE), resolved: d.resolved.slice(0, SAMPLE) }),
  };
}

/** Containers of the previous scan that are gone now and were drifted or unaccounted: their drift is resolved. */
export function goneSince(prev: PreviousState | null, present: Set<string>): Gone[] {
  if (!prev) return [];
  return [...prev.entries()]
    .filter(([id, p]) => !present.has(id) && alerting(p.verdict))
    .map(([, p]) => ({ name: p.name, verdict: p.verdict, keys: p.keys.length }));
}

/** Re-applies the ignore rules to a stored host scan (no engine calls). */
export function reevaluateHostScan(sh: ScanHostRow, rules: IgnoreRule[]): void {
  const prev = previousState(sh.hostId, sh.id, rules);
  const rows = resultsOf(sh.id);
  db().transaction((tx) => {
    for (const r of rows) updateResultEvaluation(tx, r.id, evaluationFields(rawOf(r), r.dockerId, rules, prev));
    updateScanHostGone(tx, sh.id, JSON.stringify(goneSince(prev, new Set(rows.map((r) => r.dockerId)))));
  });
}

/** After an ignore rule changed: every host's last completed scan is judged again, so the report reflects the rule at once. */
export function reevaluateLatest(): void {
  const rules = activeRules();
  for (const host of listHostRows()) {
    const sh = lastFinishedHostScan(host.id);
    if (sh) reevaluateHostScan(sh, rules);
  }
}
