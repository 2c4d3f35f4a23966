import "server-only";
import type { Actor } from "@/server/auth/actor";
import { config } from "@/server/config";
import { errorMessage } from "@/server/errors";
import { listHostRows } from "@/server/hosts/hostRegistry";
import { withTimeout } from "@/server/async/withTimeout";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { actorFields } from "@/server/releaseLog/actorFields";
import { resolveDigest } from "@/server/releases/resolveDigest";
import type { ScanTrigger } from "./constants";
import { hasTag } from "./imageDrift";
import { scanHost, type ScanContext } from "./scanHost";
import { closeRunningScanHosts, finishScan, insertScan, pruneScans, runningScanRows, scanRow, type ScanRow } from "./scanRows";

type Current = { id: number; done: Promise<void> };
const globalForScan = globalThis as unknown as { switchyardDriftScan?: Current | null };

/** A scan row still "running" that this process is not running was cut off by a restart. */
function closeInterrupted(): void {
  const mine = globalForScan.switchyardDriftScan?.id;
  for (const s of runningScanRows()) {
    if (s.id === mine) continue;
    finishScan(s.id, "interrupted", "the server stopped during the scan");
    closeRunningScanHosts(s.id, "scan interrupted by a server restart");
  }
}

/**
 * Registry lookups once per image reference per scan (informational "the tag
 * moved" findings), asked through the engine being scanned and bounded by the
 * host timeout, so a slow registry never holds up a host's results.
 */
function tagLookup(): ScanContext["tag"] {
  const cache = new Map<string, Promise<{ digest: string } | { error: string } | null>>();
  return (imageRef, docker) => {
    if (!hasTag(imageRef)) return Promise.resolve(null);
    let p = cache.get(imageRef);
    if (!p) {
      p = withTimeout(resolveDigest(docker, imageRef), config().SWITCHYARD_HOST_TIMEOUT_MS, "registry lookup").then(
        (r) => ({ digest: r.digest }),
        (err: Error) => ({ error: err.message }),
      );
      cache.set(imageRef, p);
    }
    return p;
  };
}

/**
 * Starts a scan of every host (in parallel, each host's results stored as they
 * arrive) and returns at once; `done` settles when every host has reported.
 * One scan at a time: while one runs, asking again returns the running one.
 */
export function startScan(trigger: ScanTrigger, actor: Actor | null): { scan: ScanRow; done: Promise<void>; alreadyRunning: boolean } {
  const current = globalForScan.switchyardDriftScan;
  if (current) return { scan: scanRow(current.id)!, done: current.done, alreadyRunning: true };
  closeInterrupted();
  const hosts = listHostRows();
  const scan = insertScan(trigger, actor?.username ?? "system", hosts.length);
  // A scan someone asked for is in the release log (scheduled ones are not: they would flood it).
  if (actor)
    recordEvent({
      ...actorFields(actor),
      action: "drift.scan",
      outcome: "info",
      message: `drift scan #${scan.id} of ${hosts.length} host(s) started (${trigger})`,
    });
  const ctx: ScanContext = { scanId: scan.id, tag: tagLookup() };
  const done = (async () => {
    try {
      const failed: string[] = [];
      await Promise.all(
        hosts.map((h) =>
          scanHost(ctx, h).catch((err: Error) => {
            console.error(`[switchyard] drift scan ${scan.id} of ${h.name} failed:`, err);
            failed.push(`${h.name}: ${err.message}`);
          }),
        ),
      );
      closeRunningScanHosts(scan.id, "the scan of this host failed; the server log has the details");
      finishScan(scan.id, failed.length ? "failed" : "done", failed.join("; ") || undefined);
      pruneScans();
    } catch (err) {
      console.error(`[switchyard] drift scan ${scan.id} failed:`, err);
      finishScan(scan.id, "failed", errorMessage(err));
    } finally {
      globalForScan.switchyardDriftScan = null;
    }
  })();
  globalForScan.switchyardDriftScan = { id: scan.id, done };
  return { scan, done, alreadyRunning: false };
}

/** The scan this process is running, if any. */
export function currentScan(): Current | null {
  return globalForScan.switchyardDriftScan ?? null;
}

/** The background job: one scan, to its end. */
export async function scheduledScan(): Promise<void> {
  await startScan("schedule", null).done;
}
