import "server-only";
import { config } from "@/server/config";
import { allBackendStats, type ServerStats } from "@/server/haproxy/backendStats";
import { haproxyErrorMessage } from "@/server/routing/haproxyErrorMessage";

/** One answer of `show stat`: every backend's server rows (then its BACKEND row). */
export type HaproxySample = {
  /** Epoch ms when HAProxy answered. */
  at: number;
  backends: ReadonlyMap<string, readonly ServerStats[]>;
};

/**
 * What readers get: the last good sample (kept while HAProxy is unreachable, so
 * a page shows stale data with its age rather than nothing) and the last error.
 */
export type HaproxySnapshot = {
  sample: HaproxySample | null;
  /** Set while the latest attempt failed; cleared by the next good sample. */
  error: { message: string; at: number } | null;
};

type SamplerState = {
  snapshot: HaproxySnapshot;
  listeners: Set<(sample: HaproxySample) => void>;
  timer: NodeJS.Timeout | null;
};

const globalForSampler = globalThis as unknown as { switchyardHaproxySampler?: SamplerState };
const state = (globalForSampler.switchyardHaproxySampler ??= {
  snapshot: { sample: null, error: null },
  listeners: new Set(),
  timer: null,
});

export const HAPROXY_SAMPLE_INTERVAL_MS = 2000;

/** The latest HAProxy stats the sampler holds. Never calls HAProxy. */
export function haproxySnapshot(): HaproxySnapshot {
  return state.snapshot;
}

/** Called after every good sample; returns the unsubscribe function. */
export function onHaproxySample(listener: (sample: HaproxySample) => void): () => void {
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}

/** Takes one sample now (the loop calls this; so may an operation that needs fresh numbers). */
export async function sampleHaproxy(): Promise<HaproxySnapshot> {
  const socket = config().SWITCHYARD_HAPROXY_SOCKET;
  if (!socket) {
    state.snapshot = { ...state.snapshot, error: { message: "SWITCHYARD_HAPROXY_SOCKET is not set", at: Date.now() } };
    return state.snapshot;
  }
  try {
    const backends = await allBackendStats(socket);
    const sample: HaproxySample = { at: Date.now(), backends };
    state.snapshot = { sample, error: null };
    for (const listener of state.listeners) {
      try {
        listener(sample);
      } catch (err) {
        console.error("[switchyard] haproxy sample listener failed:", err);
      }
    }
  } catch (err) {
    state.snapshot = { ...state.snapshot, error: { message: haproxyErrorMessage(err), at: Date.now() } };
  }
  return state.snapshot;
}

/** Starts the one HAProxy sampler of this process (idempotent). */
export function startHaproxySampler(intervalMs = HAPROXY_SAMPLE_INTERVAL_MS): void {
  if (state.timer) return;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await sampleHaproxy();
    } finally {
      running = false;
    }
  };
  state.timer = setInterval(tick, intervalMs);
  state.timer.unref();
  void tick();
}
