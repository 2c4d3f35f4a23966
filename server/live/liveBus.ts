import "server-only";
import crypto from "node:crypto";
import type { LiveMessage, LiveTopic } from "./liveMessage";

/** What a reconnecting reader gets: the messages it missed, or "reset" when they are no longer all kept. */
export type Replay = { kind: "replay"; messages: LiveMessage[] } | { kind: "reset" };

export type LiveBus = {
  /** Marks the ids of this process: an id from another boot cannot be replayed. */
  readonly bootId: string;
  publish(topic: LiveTopic, opts?: { service?: string | null; data?: unknown }): LiveMessage;
  /** The wire id of the newest message (`<boot>-<seq>`), so a fresh reader can resume from here. */
  lastEventId(): string;
  /** What came after the wire id `lastEventId` (as sent back in the Last-Event-ID header). */
  replayAfter(lastEventId: string): Replay;
  subscribe(listener: (m: LiveMessage) => void): () => void;
};

/** `<boot>-<seq>` as the SSE `id:` field. */
export function wireId(bootId: string, seq: number): string {
  return `${bootId}-${seq}`;
}

/**
 * An in-process publish/subscribe bus with monotonically increasing ids and a
 * ring buffer of the last `capacity` messages for replay. A reader that was away
 * for longer than the ring holds (or across a restart) gets "reset" and refetches.
 */
export function createLiveBus(capacity = 1000, bootId = crypto.randomBytes(4).toString("hex")): LiveBus {
  const ring: (LiveMessage | undefined)[] = new Array(capacity);
  const listeners = new Set<(m: LiveMessage) => void>();
  let last = 0;
  return {
    bootId,
    publish(topic, opts = {}) {
      const m: LiveMessage = { id: ++last, topic, service: opts.service ?? null, at: Date.now(), data: opts.data };
      ring[m.id % capacity] = m;
      for (const listener of listeners) {
        try {
          listener(m);
        } catch (err) {
          console.error("[switchyard] live listener failed:", err);
        }
      }
      return m;
    },
    lastEventId: () => wireId(bootId, last),
    replayAfter(lastEventId) {
      const match = /^([0-9a-f]+)-(\d+)$/.exec(lastEventId);
      if (!match || match[1] !== bootId) return { kind: "reset" };
      const after = Number(match[2]);
      const oldest = Math.max(1, last - capacity + 1);
      if (after > last || after < oldest - 1) return { kind: "reset" };
      const messages: LiveMessage[] = [];
      for (let id = after + 1; id <= last; id++) messages.push(ring[id % capacity]!);
      return { kind: "replay", messages };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const globalForBus = globalThis as unknown as { switchyardLiveBus?: LiveBus };

/** The one bus of this server process (kept across hot reloads). */
export function liveBus(): LiveBus {
  return (globalForBus.switchyardLiveBus ??= createLiveBus());
}
