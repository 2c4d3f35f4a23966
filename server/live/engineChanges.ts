import "server-only";

/** What the engine sampler reports (server/live/engineSampler.ts, branch live-sampler). */
export type EngineChange = { hostId: number; kind: "event" | "inventory" | "stale" | "recovered"; containerId?: string };

/**
 * Adapter to the engine sampler's `onEngineChange`, until that branch is merged:
 * no engine changes arrive through here yet (pages keep their polling fallback
 * for containers). Swapped for a re-export at the merge.
 */
export function onEngineChange(_listener: (change: EngineChange) => void): () => void {
  return () => undefined;
}
