import "server-only";
import { desc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { driftResults } from "@/db/schema";
import { changeSet } from "./changeSets";
import { countKinds, groupByDirectory, pageOf, dirOf, kindName } from "./changes";
import { DIRECTORY_GROUPS_SHOWN } from "./constants";
import type { ChangesQuery } from "./driftInput";
import type { Finding } from "./findings";
import { findResult } from "./findResult";
import { ignoredBy, rulesFor } from "./ignoreRules";
import { activeRules, ignoreRuleRows, ruleView } from "./ignoreRuleRows";
import { resultView } from "./resultView";

const HISTORY = 30;

/** One container: its findings, filesystem changes grouped by directory, the rules that apply, and its history across scans. */
export function containerDetail(hostName: string, container: string) {
  const { host, result, current } = findResult(hostName, container);
  const compiled = rulesFor(activeRules(), result.serviceName);
  const changes = changeSet(result.changeSet);
  const isIgnored = (p: string) => ignoredBy(compiled, p) !== null;
  const groups = groupByDirectory(changes, isIgnored);
  const history = db()
    .select()
    .from(driftResults)
    .where(eq(driftResults.dockerId, result.dockerId))
    .orderBy(desc(driftResults.id))
    .limit(HISTORY)
    .all()
    .map((r) => ({
      scanId: r.scanId,
      scannedAt: r.scannedAt.getTime(),
      verdict: r.verdict,
      findings: r.findingsEffective,
      changes: r.changesTotal,
      ignored: r.changesIgnored,
      new: r.newCount,
      resolved: r.resolvedCount,
    }));
  const rules = ignoreRuleRows()
    .filter((r) => r.serviceName === null || r.serviceName === result.serviceName)
    .map(ruleView);
  return {
    host: host.name,
    current,
    container: resultView(result),
    findings: JSON.parse(result.findings) as Finding[],
    delta: JSON.parse(result.delta) as { added: string[]; resolved: string[] },
    changes: {
      total: changes.length,
      kinds: countKinds(changes),
      directories: groups.length,
      groups: groups.slice(0, DIRECTORY_GROUPS_SHOWN),
    },
    rules,
    history,
  };
}

export type ContainerDetail = ReturnType<typeof containerDetail>;

/** One page of a container's filesystem changes (10,000+ entries page fine: the list is read once and sliced). */
export function containerChanges(hostName: string, container: string, q: ChangesQuery) {
  const { result } = findResult(hostName, container);
  const compiled = rulesFor(activeRules(), result.serviceName);
  const all = changeSet(result.changeSet)
    .map(([k, path]) => ({ kind: kindName(k), path, dir: dirOf(path), ignoredBy: ignoredBy(compiled, path) }))
    .filter((c) => (!q.dir || c.dir === q.dir) && (!q.kind || c.kind === q.kind))
    .filter((c) => (q.ignored === "include" ? true : q.ignored === "only" ? c.ignoredBy !== null : c.ignoredBy === null));
  const page = pageOf(all, q.page, q.pageSize);
  return {
    host: hostName,
    container: result.name,
    scanId: result.scanId,
    ...page,
    items: page.items.map((c) => ({ ...c, downloadable: c.kind !== "deleted" })),
  };
}
export type ChangesPage = ReturnType<typeof containerChanges>;
