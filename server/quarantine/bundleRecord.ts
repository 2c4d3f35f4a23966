/**
 * Pure pieces of the forensic bundle's own record: which entries SHA256SUMS
 * covers, and who did what when over the quarantine (steps.json).
 * No server imports: unit-tested.
 */
import { isolationNote, type NetworkIsolation } from "./networkIsolation";
import type { TarEntry } from "./tarArchive";
import { entryCommand, entryOutcome, type TranscriptEntry } from "./transcriptFormat";

/**
 * The files `sha256sum -c` can check once the bundle is extracted: regular
 * files, and hard links (same content as the entry they name); the last entry
 * of a name wins, as when tar extracts. Directories, devices and symlinks
 * are left out: sha256sum would follow a symlink out of the bundle.
 */
export function sumsEntries(entries: readonly TarEntry[]): { name: string; data: Buffer }[] {
  const byName = new Map<string, Buffer>();
  for (const e of entries) {
    if (e.type === "file" || e.type === "contiguous-file") byName.set(e.name, e.data);
    else if (e.type === "link" && byName.has(e.linkname)) byName.set(e.name, byName.get(e.linkname)!);
    else byName.delete(e.name); // a directory or link replaces an earlier file of that name
  }
  return [...byName].map(([name, data]) => ({ name, data }));
}

export type BundleStep = { at: string; by: string; step: string; detail: string | null };

type Quarantined = {
  reason: string;
  quarantinedBy: string;
  quarantinedAt: Date;
  warnedAt: Date | null;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  cancelReason: string | null;
  processesAtQuarantine: string | null;
};

/** Every step of a quarantine with who and when, oldest first, ending with the bundle being built. */
export function bundleSteps(
  q: Quarantined,
  extensions: readonly { by: string; at: Date; addedS: number; newDeadline: Date }[],
  transcript: readonly TranscriptEntry[],
  network: NetworkIsolation | null,
  built: { by: string; at: string },
): BundleStep[] {
  const iso = (d: Date) => d.toISOString();
  const steps: BundleStep[] = [{ at: iso(q.quarantinedAt), by: q.quarantinedBy, step: "quarantined", detail: q.reason }];
  if (q.processesAtQuarantine) {
    const p = JSON.parse(q.processesAtQuarantine) as { capturedAt: string; by: string; processes: unknown[]; error: string | null };
    steps.push({
      at: p.capturedAt,
      by: p.by,
      step: "process list taken (docker top, at quarantine)",
      detail: p.error ? `failed: ${p.error}` : `${p.processes.length} process(es)`,
    });
  }
  if (network)
    steps.push({
      at: network.at,
      by: network.by,
      step: "network",
      detail: isolationNote({ ...network, outcome: network.outcome === "restored" ? "cut-off" : network.outcome }),
    });
  if (network?.restored)
    steps.push({ at: network.restored.at, by: network.restored.by, step: "networks reconnected", detail: isolationNote(network) });
  for (const e of extensions)
    steps.push({ at: iso(e.at), by: e.by, step: "deadline extended", detail: `+${e.addedS} s, new deadline ${iso(e.newDeadline)}` });
  if (q.warnedAt) steps.push({ at: iso(q.warnedAt), by: "timer", step: "warning before the deadline", detail: null });
  if (q.cancelledAt)
    steps.push({ at: iso(q.cancelledAt), by: q.cancelledBy ?? "?", step: "self-destruct cancelled", detail: q.cancelReason });
  for (const t of transcript)
    steps.push({
      at: iso(new Date(t.startedAt)),
      by: t.by,
      step: `debug console #${t.id}`,
      detail: `${entryCommand(t)} — ${entryOutcome(t)}`,
    });
  steps.sort((a, b) => a.at.localeCompare(b.at));
  steps.push({ at: built.at, by: built.by, step: "forensic bundle built (at destroy time)", detail: null });
  return steps;
}
