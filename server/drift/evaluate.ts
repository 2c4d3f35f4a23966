/** Verdicts and "what changed since the previous scan", pure: from raw findings, changes and ignore rules. */
import type { ContainerVerdict, HostVerdict } from "./constants";
import type { StoredChange } from "./changes";
import type { Finding } from "./findings";
import { ignoredBy, rulesFor, type IgnoreRule } from "./ignoreRules";

export type RawResult = {
  accounted: boolean;
  quarantined: boolean;
  /** Part of the scan failed (e.g. the changes call timed out). */
  incomplete: boolean;
  serviceName: string | null;
  findings: Finding[];
  changes: StoredChange[];
};

export type Evaluation = {
  verdict: ContainerVerdict;
  changesIgnored: number;
  changesEffective: number;
  findingsEffective: number;
  /** Keys of what makes it drift, for comparing scans: finding keys and "fs:<path>". */
  keys: string[];
};

export function evaluate(raw: RawResult, rules: IgnoreRule[]): Evaluation {
  if (!raw.accounted && !raw.quarantined) {
    return { verdict: "unaccounted", changesIgnored: 0, changesEffective: 0, findingsEffective: 0, keys: ["container:unaccounted"] };
  }
  const compiled = rulesFor(rules, raw.serviceName);
  const keys = raw.findings.filter((x) => !x.info).map((x) => x.key);
  const findingsEffective = keys.length;
  let ignored = 0;
  for (const [, path] of raw.changes) {
    if (ignoredBy(compiled, path) === null) keys.push(`fs:${path}`);
    else ignored++;
  }
  const changesEffective = raw.changes.length - ignored;
  const drifts = findingsEffective + changesEffective > 0;
  const verdict: ContainerVerdict = raw.quarantined ? "allowed-to-drift" : drifts ? "drifted" : raw.incomplete ? "unknown" : "clean";
  return { verdict, changesIgnored: ignored, changesEffective, findingsEffective, keys: raw.quarantined ? [] : keys };
}

/** New and resolved keys against the same container's previous result (null: it was not there). */
export function driftDelta(previous: string[] | null, current: string[]): { added: string[]; resolved: string[] } {
  const before = new Set(previous ?? []);
  const now = new Set(current);
  return { added: current.filter((k) => !before.has(k)), resolved: [...before].filter((k) => !now.has(k)) };
}

export const alerting = (v: ContainerVerdict) => v === "drifted" || v === "unaccounted";

export function hostVerdict(status: "running" | "done" | "unreachable" | null, verdicts: ContainerVerdict[]): HostVerdict {
  if (status === null) return "not-scanned";
  if (status === "unreachable") return "unreachable";
  return verdicts.includes("drifted") ? "drifted" : verdicts.includes("unaccounted") ? "unaccounted" : "clean";
}

export type VerdictCounts = Record<ContainerVerdict, number>;

export function countVerdicts(verdicts: ContainerVerdict[]): VerdictCounts {
  const c: VerdictCounts = { clean: 0, drifted: 0, unaccounted: 0, "allowed-to-drift": 0, unknown: 0 };
  for (const v of verdicts) c[v]++;
  return c;
}
