import "server-only";
import { config } from "@/server/config";
import { engineError } from "@/server/hosts/engineError";
import { dockerForHost, type HostRow } from "@/server/hosts/hostRegistry";
import { probeHost } from "@/server/hosts/probeHost";
import { withTimeout } from "@/server/async/withTimeout";
import { accountingFor, engineName, type EngineContainer } from "./accountContainers";
import { putChangeSet } from "./changeSets";
import { SCAN_CONCURRENCY_PER_HOST } from "./constants";
import { forEachLimit } from "@/server/async/forEachLimit";
import { evaluationFields, goneSince, previousState, reevaluateHostScan } from "./hostEvaluation";
import { recordDriftChanges, type ContainerDelta } from "./driftChangeEvents";
import { activeRules, rulesVersion } from "./ignoreRuleRows";
import { scanContainer, Vanished, type ScanClients, type Scanned } from "./scanContainer";
import { insertResult, insertScanHost, updateScanHost, type ScanHostRow } from "./scanRows";

const CHANGES_TIMEOUT_MS = 120_000;

export type ScanContext = { scanId: number; tag: ScanClients["tag"] };

async function engineList(host: HostRow) {
  const status = await probeHost(host);
  if (!status.reachable) throw new Error(status.error);
  const { engineVersion, apiVersion, os, kernel, storageDriver, cgroupDriver } = status.engine;
  const list = (await withTimeout(
    dockerForHost(host).listContainers({ all: true }),
    config().SWITCHYARD_HOST_TIMEOUT_MS,
    `engine ${host.name}`,
  )) as EngineContainer[];
  return { facts: { engineVersion, apiVersion, os, kernel, storageDriver, cgroupDriver }, list };
}

/**
 * Scans every container on one host, a few at a time, storing each result as
 * it arrives. An unreachable host is recorded as such in one timeout; an engine
 * that stops answering mid-scan leaves the remaining containers "unknown".
 */
export async function scanHost(ctx: ScanContext, host: HostRow): Promise<ScanHostRow> {
  const sh = insertScanHost(ctx.scanId, host);
  let engine: Awaited<ReturnType<typeof engineList>>;
  try {
    engine = await engineList(host);
  } catch (err) {
    updateScanHost(sh.id, { status: "unreachable", error: engineError(err), finishedAt: new Date() });
    return sh;
  }
  const { list } = engine;
  updateScanHost(sh.id, { engine: JSON.stringify(engine.facts), containersTotal: list.length });
  const rules = activeRules();
  const version = rulesVersion();
  const prev = previousState(host.id, sh.id, rules);
  const account = accountingFor(host.id);
  const timeoutMs = config().SWITCHYARD_HOST_TIMEOUT_MS;
  const clients: ScanClients = {
    docker: dockerForHost(host),
    slow: dockerForHost(host, CHANGES_TIMEOUT_MS),
    timeoutMs,
    changesTimeoutMs: CHANGES_TIMEOUT_MS,
    images: new Map(),
    tag: ctx.tag,
  };
  const notes: string[] = [];
  const present = new Set<string>();
  const deltas: ContainerDelta[] = [];
  let done = 0;
  let broken: string | null = null;
  await forEachLimit(list, SCAN_CONCURRENCY_PER_HOST, async (c) => {
    const started = Date.now();
    const acc = account(c);
    let scanned: Scanned = { findings: [], changes: [], incomplete: false, note: acc.note };
    try {
      if (broken) scanned = { ...scanned, incomplete: true, note: `not scanned: ${broken}` };
      else if (acc.accounted || acc.quarantined) scanned = await scanContainer(clients, c, acc);
    } catch (err) {
      if (err instanceof Vanished) {
        notes.push(`${engineName(c)} ${err.message}; skipped`);
        updateScanHost(sh.id, { containersDone: ++done, notes: JSON.stringify(notes) });
        return;
      }
      const reason = engineError(err);
      if (/no answer within/.test(reason)) broken = `the engine stopped answering (${reason})`;
      scanned = { ...scanned, incomplete: true, note: `not scanned: ${reason}` };
    }
    present.add(c.Id);
    const raw = {
      accounted: acc.accounted,
      quarantined: acc.quarantined,
      incomplete: scanned.incomplete,
      serviceName: acc.serviceName,
      findings: scanned.findings,
      changes: scanned.changes,
    };
    const evaluation = evaluationFields(raw, c.Id, rules, prev);
    if (prev)
      deltas.push({ name: engineName(c), serviceName: acc.serviceName, added: evaluation.newCount, resolved: evaluation.resolvedCount });
    insertResult({
      scanHostId: sh.id,
      scanId: ctx.scanId,
      dockerId: c.Id,
      name: engineName(c),
      image: c.Image,
      state: c.State,
      serviceName: acc.serviceName,
      releaseId: acc.release?.id ?? null,
      releaseNumber: acc.release?.number ?? null,
      releaseStatus: acc.release?.status ?? null,
      accounted: acc.accounted,
      quarantined: acc.quarantined,
      incomplete: scanned.incomplete,
      note: scanned.note,
      findings: JSON.stringify(scanned.findings),
      changeSet: putChangeSet(scanned.changes),
      changesTotal: scanned.changes.length,
      ...evaluation,
      durationMs: Date.now() - started,
      scannedAt: new Date(),
    });
    updateScanHost(sh.id, { containersDone: ++done });
  });
  const gone = goneSince(prev, present);
  const finished = {
    ...sh,
    status: "done" as const,
    notes: JSON.stringify(notes),
    gone: JSON.stringify(gone),
    finishedAt: new Date(),
  };
  updateScanHost(sh.id, { status: finished.status, notes: finished.notes, gone: finished.gone, finishedAt: finished.finishedAt });
  if (rulesVersion() !== version) reevaluateHostScan(finished, activeRules());
  // Only against a previous scan: a host's first scan is the baseline, not news.
  if (prev) recordDriftChanges(host.name, ctx.scanId, deltas, gone);
  return finished;
}
