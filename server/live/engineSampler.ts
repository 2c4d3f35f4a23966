import "server-only";
import type Docker from "dockerode";
import { writeIfFree } from "@/db/client";
import { config } from "@/server/config";
import { withTimeout } from "@/server/async/withTimeout";
import { engineError } from "@/server/hosts/engineError";
import { dockerForHost, listHostRows, type HostRow } from "@/server/hosts/hostRegistry";
import { markHostError, markHostSeen } from "./hostSeenRows";
import {
  applyContainerEvent,
  containerFromList,
  engineInfoWithCounts,
  inventorySignature,
  sortedContainers,
  type DockerEvent,
  type EngineContainer,
  type EngineInfo,
  type EngineSnapshot,
} from "./engineSnapshot";

export type EngineChange = { hostId: number; kind: "event" | "inventory" | "stale" | "recovered"; containerId?: string };

/** Inventory (list + info) period: corrects whatever the events stream missed. */
const INVENTORY_INTERVAL_MS = 20_000;
/** Reconnect backoff after a failure: 1 s, 2 s, 4 s, then every 5 s (a refused connection costs nothing). */
const MAX_BACKOFF_MS = 5000;
/** Events within this window are re-read from the engine in one list call. */
const REFRESH_BATCH_MS = 30;
const LAG_RETRIES = 5;
const LAG_RETRY_MS = 200;
/** The host row's last-seen is written at most this often while the engine answers. */
const SEEN_WRITE_MS = 5000;

type HostSampler = {
  host: HostRow;
  key: string;
  stopped: boolean;
  containers: Map<string, EngineContainer>;
  facts: Omit<EngineInfo, "containers"> | null;
  snapshot: EngineSnapshot;
  stream: NodeJS.ReadableStream | null;
  inventoryTimer: NodeJS.Timeout | null;
  retryTimer: NodeJS.Timeout | null;
  backoffMs: number;
  lastConnectAt: number;
  lastSeenWrite: number;
  refreshIds: Set<string>;
  refreshTimer: NodeJS.Timeout | null;
  /** Containers events touched while an inventory's list call was in flight: the events are newer than that list. */
  touchedDuringInventory: Set<string> | null;
  /** Re-reads postponed because the list still disagreed with the state an event set (per container). */
  lagRetries: Map<string, number>;
  /** Resolves when the first connection attempt has ended (answered or failed). */
  firstAttempt: Promise<void>;
  firstAttemptDone: () => void;
};

type SamplersState = {
  samplers: Map<number, HostSampler>;
  listeners: Set<(change: EngineChange) => void>;
  calls: number;
};

const globalForSamplers = globalThis as unknown as { switchyardEngineSamplers?: SamplersState };
const state = (globalForSamplers.switchyardEngineSamplers ??= { samplers: new Map(), listeners: new Set(), calls: 0 });

const hostKey = (h: HostRow) => `${h.id}:${h.url}:${h.updatedAt.getTime()}`;

/** The sampler's view of one engine. Never calls the engine. */
export function engineSnapshot(hostId: number): EngineSnapshot | null {
  return state.samplers.get(hostId)?.snapshot ?? null;
}

/** Every sampled engine's snapshot. Never calls an engine. */
export function engineSnapshots(): EngineSnapshot[] {
  return [...state.samplers.values()].map((s) => s.snapshot);
}

/** Called on every change of any engine snapshot; returns the unsubscribe function. */
export function onEngineChange(listener: (change: EngineChange) => void): () => void {
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}

/** Docker API calls the samplers made since start (connections of the events stream included). */
export function engineSamplerCalls(): number {
  return state.calls;
}

/** Counts a Docker API call made on the samplers' behalf by another background loop. */
export function countEngineCall(): void {
  state.calls++;
}

function emit(change: EngineChange): void {
  for (const listener of state.listeners) {
    try {
      listener(change);
    } catch (err) {
      console.error("[switchyard] engine change listener failed:", err);
    }
  }
}

function publish(s: HostSampler, at: number | null = Date.now()): void {
  const containers = sortedContainers(s.containers);
  s.snapshot = {
    hostId: s.host.id,
    hostName: s.host.name,
    at: at ?? s.snapshot.at,
    containers,
    engine: s.facts ? engineInfoWithCounts(s.facts, containers) : null,
    latencyMs: s.snapshot.latencyMs,
    stale: null,
  };
}

function docker(s: HostSampler): Docker {
  return dockerForHost(s.host);
}

function call<T>(s: HostSampler, what: string, p: () => Promise<T>): Promise<T> {
  state.calls++;
  return withTimeout(p(), config().SWITCHYARD_HOST_TIMEOUT_MS, `engine ${s.host.name} (${what})`);
}

async function inventory(s: HostSampler, withVersion: boolean): Promise<void> {
  const started = Date.now();
  s.touchedDuringInventory = new Set();
  const d = docker(s);
  const [list, info, version] = await Promise.all([
    call(s, "list", () => d.listContainers({ all: true })),
    call(s, "info", () => d.info()),
    withVersion || !s.facts ? call(s, "version", () => d.version()) : Promise.resolve(null),
  ]);
  if (s.stopped) return;
  const now = Date.now();
  const wasStale = s.snapshot.stale !== null || s.snapshot.at === null;
  const before = inventorySignature(s.snapshot.containers);
  const listed = new Map(list.map((c) => [c.Id, containerFromList(c)]));
  for (const id of s.touchedDuringInventory ?? []) {
    const fromEvent = s.containers.get(id);
    if (fromEvent) listed.set(id, fromEvent);
    else listed.delete(id);
    queueRefresh(s, id);
  }
  s.touchedDuringInventory = null;
  s.containers = listed;
  s.facts = {
    engineVersion: String(version?.Version ?? s.facts?.engineVersion ?? info.ServerVersion ?? "?"),
    apiVersion: String(version?.ApiVersion ?? s.facts?.apiVersion ?? "?"),
    os: String(info.OperatingSystem ?? "?"),
    osType: String(info.OSType ?? "?"),
    architecture: String(info.Architecture ?? "?"),
    kernel: String(info.KernelVersion ?? "?"),
    storageDriver: String(info.Driver ?? "?"),
    cgroupDriver: String(info.CgroupDriver ?? "?"),
    images: Number(info.Images ?? 0),
  };
  publish(s, now);
  s.snapshot.latencyMs = now - started;
  if ((wasStale || now - s.lastSeenWrite > SEEN_WRITE_MS) && writeIfFree((tx) => markHostSeen(tx, s.host.id, new Date(now)))) {
    s.lastSeenWrite = now;
  }
  if (wasStale) emit({ hostId: s.host.id, kind: "recovered" });
  else if (inventorySignature(s.snapshot.containers) !== before) emit({ hostId: s.host.id, kind: "inventory" });
}

function markStale(s: HostSampler, error: string): void {
  const now = Date.now();
  const since = s.snapshot.stale?.since ?? now;
  const changed = s.snapshot.stale?.error !== error;
  s.snapshot = { ...s.snapshot, stale: { since, error } };
  if (changed) {
    writeIfFree((tx) => markHostError(tx, s.host.id, error, new Date(now)));
    emit({ hostId: s.host.id, kind: "stale" });
  }
}

function closeStream(s: HostSampler): void {
  if (s.inventoryTimer) clearInterval(s.inventoryTimer);
  s.inventoryTimer = null;
  const stream = s.stream as (NodeJS.ReadableStream & { destroy?: () => void }) | null;
  s.stream = null;
  if (stream) {
    stream.removeAllListeners();
    stream.on("error", () => {});
    stream.destroy?.();
  }
}

function fail(s: HostSampler, err: unknown): void {
  closeStream(s);
  if (s.stopped) return;
  markStale(s, engineError(err));
  if (s.retryTimer) return;
  const wait = s.backoffMs;
  s.backoffMs = Math.min(MAX_BACKOFF_MS, s.backoffMs * 2);
  s.retryTimer = setTimeout(() => {
    s.retryTimer = null;
    void connect(s);
  }, wait);
  s.retryTimer.unref();
}

function queueRefresh(s: HostSampler, id: string): void {
  s.refreshIds.add(id);
  if (s.refreshTimer) return;
  s.refreshTimer = setTimeout(() => void flushRefresh(s), REFRESH_BATCH_MS);
  s.refreshTimer.unref();
}

/** Re-reads the containers named by recent events in one list call. */
async function flushRefresh(s: HostSampler): Promise<void> {
  s.refreshTimer = null;
  const ids = [...s.refreshIds];
  s.refreshIds.clear();
  if (!ids.length || s.stopped) return;
  try {
    const list = await call(s, "list", () => docker(s).listContainers({ all: true, filters: { id: ids } }));
    if (s.stopped) return;
    const found = new Map(list.map((c) => [c.Id, containerFromList(c)]));
    const changed: string[] = [];
    for (const id of ids) {
      const now = found.get(id);
      const was = s.containers.get(id);
      // Docker's list lags its events (right after `die` it still says running): keep the event's state, read again shortly.
      const tries = s.lagRetries.get(id) ?? 0;
      if (now && was && now.state !== was.state && tries < LAG_RETRIES) {
        s.lagRetries.set(id, tries + 1);
        setTimeout(() => queueRefresh(s, id), LAG_RETRY_MS).unref();
        continue;
      }
      s.lagRetries.delete(id);
      if (now && JSON.stringify(now) !== JSON.stringify(was)) {
        s.containers.set(id, now);
        changed.push(id);
      } else if (!now && was) {
        s.containers.delete(id);
        changed.push(id);
      }
    }
    if (changed.length) {
      publish(s);
      for (const id of changed) emit({ hostId: s.host.id, kind: "event", containerId: id });
    }
  } catch (err) {
    // The next inventory corrects it; a dead engine shows up on the stream.
    console.warn(`[switchyard] engine ${s.host.name}: re-reading ${ids.length} container(s) failed: ${engineError(err)}`);
  }
}

function onEvent(s: HostSampler, ev: DockerEvent): void {
  const id = ev.Actor?.ID ?? ev.id;
  const result = applyContainerEvent(s.containers, ev);
  if (id) s.touchedDuringInventory?.add(id);
  if (result.changed) {
    s.containers = result.containers;
    publish(s);
    emit({ hostId: s.host.id, kind: "event", containerId: id });
  }
  if (result.refresh && id) queueRefresh(s, id);
}

async function openEvents(s: HostSampler, sinceS: number): Promise<void> {
  state.calls++;
  // No request timeout on the stream: it is quiet for as long as nothing happens.
  const stream = await withTimeout(
    dockerForHost(s.host, 0).getEvents({ since: sinceS, filters: { type: ["container"] } } as Docker.GetEventsOptions),
    config().SWITCHYARD_HOST_TIMEOUT_MS,
    `engine ${s.host.name} (events)`,
  );
  if (s.stopped) {
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    return;
  }
  s.stream = stream;
  let buffer = "";
  stream.on("data", (chunk: Buffer | string) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (!line) continue;
      try {
        onEvent(s, JSON.parse(line) as DockerEvent);
      } catch (err) {
        console.warn(`[switchyard] engine ${s.host.name}: bad event line: ${String(err)}`);
      }
    }
  });
  const ended = (err?: unknown) => {
    if (s.stream !== stream || s.stopped) return;
    closeStream(s);
    // The engine went away or the connection dropped: reconnect now (a failure marks it stale).
    const soon = Date.now() - s.lastConnectAt < 1000;
    if (soon) fail(s, err ?? new Error("events stream closed"));
    else void connect(s);
  };
  stream.on("end", () => ended());
  stream.on("close", () => ended());
  stream.on("error", (err: unknown) => ended(err));
}

async function connect(s: HostSampler): Promise<void> {
  if (s.stopped) return;
  s.lastConnectAt = Date.now();
  try {
    // Events from one second before the inventory on: nothing between the two is lost.
    const sinceS = Math.floor(Date.now() / 1000) - 1;
    await inventory(s, true);
    await openEvents(s, sinceS);
    if (s.stopped) return;
    s.backoffMs = 1000;
    s.inventoryTimer = setInterval(() => {
      inventory(s, false).catch((err) => fail(s, err));
    }, INVENTORY_INTERVAL_MS);
    s.inventoryTimer.unref();
  } catch (err) {
    fail(s, err);
  } finally {
    s.firstAttemptDone();
  }
}

function startSampler(host: HostRow): HostSampler {
  let done!: () => void;
  const firstAttempt = new Promise<void>((resolve) => (done = resolve));
  const s: HostSampler = {
    host,
    key: hostKey(host),
    stopped: false,
    containers: new Map(),
    facts: null,
    snapshot: { hostId: host.id, hostName: host.name, at: null, containers: [], engine: null, latencyMs: null, stale: null },
    stream: null,
    inventoryTimer: null,
    retryTimer: null,
    backoffMs: 1000,
    lastConnectAt: 0,
    lastSeenWrite: 0,
    refreshIds: new Set(),
    refreshTimer: null,
    touchedDuringInventory: null,
    lagRetries: new Map(),
    firstAttempt,
    firstAttemptDone: done,
  };
  state.samplers.set(host.id, s);
  void connect(s);
  return s;
}

function stopSampler(s: HostSampler): void {
  s.stopped = true;
  closeStream(s);
  if (s.retryTimer) clearTimeout(s.retryTimer);
  if (s.refreshTimer) clearTimeout(s.refreshTimer);
  s.firstAttemptDone();
}

/**
 * Makes the samplers match the hosts table: one per host, a fresh one for an
 * edited host, none for a removed one. Cheap when nothing changed (one SQLite read).
 */
export function syncEngineSamplers(rows: HostRow[] = listHostRows()): void {
  const wanted = new Map(rows.map((h) => [h.id, h]));
  for (const [id, s] of state.samplers) {
    const row = wanted.get(id);
    if (!row || hostKey(row) !== s.key) {
      stopSampler(s);
      state.samplers.delete(id);
    } else if (row.name !== s.host.name) {
      s.host = row;
    }
  }
  for (const row of rows) if (!state.samplers.has(row.id)) startSampler(row);
}

/**
 * For readers: the snapshots of these hosts, waiting only for a sampler that
 * has not finished its first attempt (a host just added, or the first request
 * after start). Steady state: no wait and no engine call.
 */
export async function engineSnapshotsFor(rows: HostRow[]): Promise<Map<number, EngineSnapshot>> {
  const missing = rows.some((r) => state.samplers.get(r.id)?.key !== hostKey(r));
  if (missing) syncEngineSamplers();
  await Promise.all(rows.map((r) => state.samplers.get(r.id)?.firstAttempt));
  const out = new Map<number, EngineSnapshot>();
  for (const r of rows) {
    const snap = engineSnapshot(r.id);
    if (snap) out.set(r.id, snap);
  }
  return out;
}

/** Starts the engine samplers and keeps them in step with the hosts table (idempotent). */
export function startEngineSamplers(syncEveryMs = 5000): void {
  const g = globalThis as unknown as { switchyardEngineSync?: NodeJS.Timeout };
  if (g.switchyardEngineSync) return;
  syncEngineSamplers();
  g.switchyardEngineSync = setInterval(() => {
    try {
      syncEngineSamplers();
    } catch (err) {
      console.error("[switchyard] engine sampler sync failed:", err);
    }
  }, syncEveryMs);
  g.switchyardEngineSync.unref();
}

/** Stops every sampler (tests). */
export function stopEngineSamplers(): void {
  const g = globalThis as unknown as { switchyardEngineSync?: NodeJS.Timeout };
  if (g.switchyardEngineSync) clearInterval(g.switchyardEngineSync);
  g.switchyardEngineSync = undefined;
  for (const s of state.samplers.values()) stopSampler(s);
  state.samplers.clear();
}
