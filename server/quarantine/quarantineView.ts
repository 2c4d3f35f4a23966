import "server-only";
import { config } from "@/server/config";
import { engineError } from "@/server/hosts/engineError";
import { dockerForHost, listHostRows } from "@/server/hosts/hostRegistry";
import { withTimeout } from "@/server/async/withTimeout";
import { countEngineCall } from "@/server/live/engineSampler";
import { publishQuarantine } from "@/server/live/publishChanges";
import { operationStatuses } from "@/server/operations/operationLog";
import { DEFAULT_LIFETIME_S } from "./constants";
import { changeCounts, type Change } from "./forensicsFormat";
import { isolationOf } from "./isolateNetwork";
import { isolationNote } from "./networkIsolation";
import { extensionRoomS, isOverdue, needsImageAdvice, warningAt, type Limits } from "./quarantineRules";
import { extensionsOfQuarantines, listQuarantineRows, quarantineById, quarantineLimits, type QuarantineRow } from "./quarantineRows";

const ms = (d: Date | null) => d?.getTime() ?? null;
type Drift = { drift: ReturnType<typeof changeCounts> | null; driftError: string | null };
type Extension = { by: string; at: number; addedS: number; newDeadline: number };

/** How often the background loop re-reads the drift of active quarantines (`docker diff` walks the filesystem). */
export const QUARANTINE_DRIFT_INTERVAL_MS = 5000;
const globalForDrift = globalThis as unknown as { switchyardQuarantineDrift?: Map<number, { at: number; value: Drift }> };
const driftCache = (globalForDrift.switchyardQuarantineDrift ??= new Map());

/**
 * Background loop: `docker diff` of each active quarantine's container (n/a when
 * its host does not answer), kept for readers. Readers never call an engine.
 */
export async function sampleQuarantineDrift(rows: QuarantineRow[] = listQuarantineRows()): Promise<void> {
  const live = rows.filter((q) => q.status === "active" || q.status === "destroying");
  const hostRows = live.length ? listHostRows() : [];
  for (const id of driftCache.keys()) if (rows.some((q) => q.id === id) && !live.some((q) => q.id === id)) driftCache.delete(id);
  let changed = false;
  await Promise.all(
    live.map(async (q) => {
      const host = hostRows.find((h) => h.id === q.hostId);
      let value: Drift;
      try {
        if (!host) throw new Error(`host ${q.hostName} is no longer registered`);
        countEngineCall();
        const changes = (await withTimeout(
          dockerForHost(host).getContainer(q.dockerId).changes(),
          config().SWITCHYARD_HOST_TIMEOUT_MS,
          `engine ${host.name}`,
        )) as Change[] | null;
        value = { drift: changeCounts(changes), driftError: null };
      } catch (err) {
        value = { drift: null, driftError: engineError(err) };
      }
      const before = driftCache.get(q.id)?.value;
      driftCache.set(q.id, { at: Date.now(), value });
      if (JSON.stringify(before) !== JSON.stringify(value)) changed = true;
    }),
  );
  // Open Quarantine pages refetch at once (a file written while debugging shows within one interval, not at the next poll).
  if (changed) publishQuarantine();
}

/** The drift the background loop last read; `driftAt` says when (null: not read yet). */
function driftOf(rows: QuarantineRow[]): Map<number, Drift & { driftAt: number | null }> {
  const out = new Map<number, Drift & { driftAt: number | null }>();
  for (const q of rows) {
    const cached = driftCache.get(q.id);
    const active = q.status === "active" || q.status === "destroying";
    out.set(
      q.id,
      cached ? { ...cached.value, driftAt: cached.at } : { drift: null, driftError: active ? "not read yet" : null, driftAt: null },
    );
  }
  return out;
}

function view(
  q: QuarantineRow,
  now: number,
  limits: Limits,
  extensions: Extension[],
  drift: (Drift & { driftAt: number | null }) | undefined,
  opStatus: string | null,
) {
  const deadline = ms(q.deadline);
  const armedAt = extensions.at(-1)?.at ?? q.quarantinedAt.getTime();
  return {
    id: q.id,
    status: q.status,
    hostId: q.hostId,
    hostName: q.hostName,
    dockerId: q.dockerId,
    originalName: q.originalName,
    quarantinedName: q.quarantinedName,
    serviceName: q.serviceName,
    releaseNumber: q.releaseNumber,
    reason: q.reason,
    quarantinedBy: q.quarantinedBy,
    quarantinedAt: q.quarantinedAt.getTime(),
    operation: q.operationId ? { id: q.operationId, status: opStatus } : null,
    deadline,
    latestDeadline: q.quarantinedAt.getTime() + limits.maxLifetimeS * 1000,
    warnAt: deadline === null ? null : warningAt(deadline, armedAt, limits),
    warnedAt: ms(q.warnedAt),
    cancelled: q.cancelledAt ? { by: q.cancelledBy, at: q.cancelledAt.getTime(), reason: q.cancelReason } : null,
    overdue: isOverdue({ status: q.status, deadline, attempts: q.attempts }, now),
    attempts: q.attempts,
    nextAttemptAt: ms(q.nextAttemptAt),
    lastError: q.lastError,
    destroyedAt: ms(q.destroyedAt),
    destroyedBy: q.destroyedBy,
    forensics: q.forensicsPath
      ? {
          url: `/api/quarantines/${q.id}/forensics`,
          bytes: q.forensicsBytes,
          capBytes: q.forensicsCapBytes,
          truncated: Boolean(q.forensicsTruncated),
          sha256: q.forensicsSha256,
        }
      : null,
    network: isolationNote(isolationOf(q)),
    extensions,
    extensionRoomS: q.status === "active" ? extensionRoomS({ quarantinedAt: q.quarantinedAt.getTime(), deadline }, now, limits) : 0,
    adviseImage: needsImageAdvice(extensions.length),
    drift: drift?.drift ?? null,
    driftError: drift?.driftError ?? null,
    /** When the drift above was read (the background loop, every few seconds); null: not yet. */
    driftAt: drift?.driftAt ?? null,
  };
}
export type QuarantineView = ReturnType<typeof view>;

async function views(rows: QuarantineRow[]) {
  const now = Date.now();
  const limits = quarantineLimits();
  const exts = extensionsOfQuarantines(rows.map((q) => q.id));
  const ops = operationStatuses(rows.map((q) => q.operationId).filter((id): id is number => id !== null));
  const drift = driftOf(rows);
  const list = rows.map((q) =>
    view(
      q,
      now,
      limits,
      exts
        .filter((e) => e.quarantineId === q.id)
        .map((e) => ({ by: e.by, at: e.at.getTime(), addedS: e.addedS, newDeadline: e.newDeadline.getTime() })),
      drift.get(q.id),
      ops.find((o) => o.id === q.operationId)?.status ?? null,
    ),
  );
  return { now, limits: { ...limits, defaultLifetimeS: DEFAULT_LIFETIME_S }, list };
}

/** Every quarantine (newest first) for the quarantine page, with the server's clock for the countdowns. */
export async function quarantineOverview() {
  const { now, limits, list } = await views(listQuarantineRows());
  return { now, limits, quarantines: list };
}

/** One quarantine, its drift read now (the detail is asked for one at a time, not polled by every page). */
export async function quarantineDetail(id: number) {
  const row = quarantineById(id);
  await sampleQuarantineDrift([row]);
  const { now, limits, list } = await views([row]);
  return { now, limits, quarantine: list[0]! };
}

/** GET /api/quarantines */
export type QuarantineList = Awaited<ReturnType<typeof quarantineOverview>>;
/** GET /api/quarantines/:id */
