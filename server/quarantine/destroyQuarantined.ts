import "server-only";
import fs from "node:fs";
import { db } from "@/db/client";
import { ifFound } from "@/server/errors";
import { engineError } from "@/server/hosts/engineError";
import { dockerForHost, hostRow } from "@/server/hosts/hostRegistry";
import { markContainerRemoved } from "@/server/releases/releaseRows";
import { formatSeconds } from "./constants";
import { collectForensics, type Forensics } from "./collectForensics";
import { retryDelayS } from "./quarantineRules";
import { claimForDestroy, logQuarantine, updateQuarantine, type QuarantineRow } from "./quarantineRows";

const globalForDestroy = globalThis as unknown as { switchyardDestroying?: Set<number> };
const inFlight = (globalForDestroy.switchyardDestroying ??= new Set<number>());

export function isBeingDestroyed(id: number): boolean {
  return inFlight.has(id);
}

export type DestroyOutcome = { outcome: "destroyed" | "retry" | "failed" | "skipped"; message: string };

const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;
const tolerate =
  (...codes: number[]) =>
  (err: unknown) => {
    if (!codes.includes(statusOf(err) ?? 0)) throw err;
  };

/**
 * The end of a quarantine: forensic bundle first, then stop and remove, then
 * the record. An engine that does not answer is retried with backoff (the
 * row stays active and shows as overdue); a container that is already gone
 * is recorded as failed (nothing left to collect). `by` is "timer" or a user.
 */
export async function destroyQuarantined(q: QuarantineRow, by: string, allowStale = false): Promise<DestroyOutcome> {
  if (inFlight.has(q.id) || !claimForDestroy(q.id, allowStale)) return { outcome: "skipped", message: "already being destroyed" };
  inFlight.add(q.id);
  const attempt = q.attempts + 1;
  // The end of the record (quarantine row, container row, release-log event) is one transaction: a crash
  // in between would leave the container row active with no container, or no event saying what happened.
  const giveUp = (why: string): DestroyOutcome => {
    db().transaction((tx) => {
      updateQuarantine(q.id, { status: "failed", attempts: attempt, lastError: why, nextAttemptAt: null, destroyedBy: by });
      markContainerRemoved(tx, q.releaseContainerId);
      logQuarantine(by, q, "destroy", "failed", why);
    });
    return { outcome: "failed", message: why };
  };
  const destroyed = (
    bundle: Pick<Forensics, "path" | "bytes" | "capBytes" | "truncated" | "sha256">,
    message: string,
    detail: unknown,
  ): DestroyOutcome => {
    const now = new Date();
    db().transaction((tx) => {
      updateQuarantine(q.id, {
        status: "destroyed",
        destroyedAt: now,
        destroyedBy: by,
        attempts: attempt,
        lastError: null,
        nextAttemptAt: null,
        forensicsPath: bundle.path,
        forensicsBytes: bundle.bytes,
        forensicsCapBytes: bundle.capBytes,
        forensicsTruncated: bundle.truncated,
        forensicsSha256: bundle.sha256,
      });
      markContainerRemoved(tx, q.releaseContainerId, now);
      logQuarantine(by, q, "destroy", "ok", message, detail);
    });
    return { outcome: "destroyed", message };
  };
  try {
    const host = ifFound(() => hostRow(q.hostId));
    if (!host) return giveUp(`host ${q.hostName} is no longer registered in Switchyard; remove ${q.quarantinedName} by hand`);
    const docker = dockerForHost(host, 30_000);
    const container = docker.getContainer(q.dockerId);
    let forensics;
    try {
      forensics = await collectForensics(q, docker, by);
    } catch (err) {
      if (statusOf(err) === 404) {
        // An earlier attempt stored the bundle and removed the container, and was cut off (a restart) before recording it.
        if (q.forensicsPath && q.forensicsBytes !== null && q.forensicsCapBytes !== null && fs.existsSync(q.forensicsPath)) {
          const bundle = {
            path: q.forensicsPath,
            bytes: q.forensicsBytes,
            capBytes: q.forensicsCapBytes,
            truncated: Boolean(q.forensicsTruncated),
            sha256: q.forensicsSha256 ?? "",
          };
          return destroyed(
            bundle,
            `${q.quarantinedName} on ${q.hostName} destroyed (removed by an earlier attempt cut off before recording it); forensic bundle ${bundle.bytes} bytes`,
            { forensics: bundle },
          );
        }
        return giveUp(
          `${q.quarantinedName} was already gone from ${host.name} (removed outside Switchyard?); no forensic bundle could be collected`,
        );
      }
      throw err;
    }
    // The bundle is recorded before the container goes, so an attempt cut off after removing it is not mistaken for a lost container.
    updateQuarantine(q.id, {
      forensicsPath: forensics.path,
      forensicsBytes: forensics.bytes,
      forensicsCapBytes: forensics.capBytes,
      forensicsTruncated: forensics.truncated,
      forensicsSha256: forensics.sha256,
    });
    await container.stop({ t: 5 }).catch(tolerate(304, 404));
    await container.remove({ force: true }).catch(tolerate(404));
    const message = `${q.quarantinedName} on ${q.hostName} destroyed${by === "timer" ? " at its deadline" : ` by ${by}`}; forensic bundle ${forensics.bytes} bytes (${forensics.copied} path(s) copied of ${forensics.changes} change(s)${forensics.truncated ? ", cap reached" : ""}), SHA-256 ${forensics.sha256}`;
    return destroyed(forensics, message, { forensics });
  } catch (err) {
    const why = engineError(err);
    const delayS = retryDelayS(attempt);
    updateQuarantine(q.id, { status: "active", attempts: attempt, lastError: why, nextAttemptAt: new Date(Date.now() + delayS * 1000) });
    if (attempt === 1 || q.lastError !== why) {
      logQuarantine(
        by,
        q,
        "destroy",
        "failed",
        `could not destroy ${q.quarantinedName} on ${q.hostName} (attempt ${attempt}): ${why}; retrying in ${formatSeconds(delayS)}, with backoff`,
      );
    }
    return { outcome: "retry", message: `${why}; the timer retries in ${formatSeconds(delayS)} (attempt ${attempt}), with backoff` };
  } finally {
    inFlight.delete(q.id);
  }
}
