import "server-only";
import { operationStatuses } from "@/server/operations/operationLog";
import { formatSeconds } from "./constants";
import { destroyQuarantined, isBeingDestroyed } from "./destroyQuarantined";
import { logQuarantine, pendingQuarantineRows, quarantineLimits, updateQuarantine, type QuarantineRow } from "./quarantineRows";

function runningOperationIds(rows: QuarantineRow[]): Set<number> {
  const ids = rows.map((r) => r.operationId).filter((id): id is number => id !== null);
  if (!ids.length) return new Set();
  return new Set(
    operationStatuses(ids)
      .filter((o) => o.status === "running")
      .map((o) => o.id),
  );
}

/**
 * One pass of the durable timers (every second from server start, see
 * server/backgroundJobs.ts): everything lives in SQLite, so a deadline that
 * passed while the dashboard was down is executed on the first pass after
 * start. Warns `SWITCHYARD_QUARANTINE_WARN_MINUTES` before a deadline (once
 * per arming: an extension re-arms it), and destroys what is due; an
 * unreachable host is retried at `nextAttemptAt` (backoff). Destroys run in
 * the background; `wait` lets a test await them.
 */
export async function runQuarantineTimers(opts: { wait?: boolean } = {}): Promise<void> {
  const now = Date.now();
  const { warnLeadS } = quarantineLimits();
  const rows = pendingQuarantineRows();
  const busy = runningOperationIds(rows);
  const started: Promise<unknown>[] = [];
  for (const q of rows) {
    if (q.operationId !== null && busy.has(q.operationId)) continue; // its quarantine is still being carried out
    const deadline = q.deadline?.getTime() ?? null;
    if (q.status === "active" && deadline !== null && !q.warnedAt && now < deadline && now >= deadline - warnLeadS * 1000) {
      updateQuarantine(q.id, { warnedAt: new Date(now) });
      logQuarantine(
        "system",
        q,
        "warning",
        "info",
        `${q.quarantinedName} on ${q.hostName} self-destructs in ${formatSeconds((deadline - now) / 1000)} (at ${new Date(deadline).toISOString()}); extend it on the quarantine page if it is still needed`,
        {
          deadline: new Date(deadline).toISOString(),
        },
      );
    }
    const due = q.status === "active" && deadline !== null && deadline <= now && (!q.nextAttemptAt || q.nextAttemptAt.getTime() <= now);
    const stale = q.status === "destroying" && !isBeingDestroyed(q.id); // cut off by a restart
    if (due || stale) {
      started.push(
        destroyQuarantined(q, "timer", true).catch((err) => console.error(`[switchyard] destroying quarantine ${q.id} failed:`, err)),
      );
    }
  }
  if (opts.wait) await Promise.all(started);
}
