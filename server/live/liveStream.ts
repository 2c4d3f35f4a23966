import "server-only";
import type { Actor } from "@/server/auth/actor";
import { wireId, type LiveBus } from "./liveBus";
import type { LiveMessage, LiveWireMessage } from "./liveMessage";
import { liveMessageVisible } from "./liveScope";

export const HEARTBEAT_MS = 15_000;
/** Chunks a slow reader may have unread before it is cut off (it reconnects and replays, or resets). */
const MAX_BACKLOG = 2000;

type StreamOptions = {
  bus: LiveBus;
  actor: Pick<Actor, "services">;
  topics: readonly string[] | null;
  /** From the Last-Event-ID header or the lastEventId query; null for a fresh reader. */
  lastEventId: string | null;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  heartbeatMs?: number;
};

function frame(m: LiveMessage, bootId: string): string {
  const wire: LiveWireMessage = { topic: m.topic, service: m.service, at: m.at, data: m.data };
  return `id: ${wireId(bootId, m.id)}\ndata: ${JSON.stringify(wire)}\n\n`;
}

/**
 * The server-sent events answer of GET /api/stream: first `hello` (fresh) or the
 * missed messages (resumed) or `reset` (too old: refetch everything), then every
 * visible message as it is published, and a comment line every 15 s so proxies
 * keep the connection. Everything is released when the client disconnects.
 */
export function liveStreamResponse(o: StreamOptions): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (closed) return;
        if ((controller.desiredSize ?? 0) < -MAX_BACKLOG) return cleanup();
        controller.enqueue(encoder.encode(text));
      };
      const visible = (m: LiveMessage) => liveMessageVisible(m, o.topics, o.actor);
      // Subscribed before the replay is read: nothing published in between is lost (and ids only grow, so nothing is sent twice).
      let sentUpTo = 0;
      const unsubscribe = o.bus.subscribe((m) => {
        if (m.id > sentUpTo && visible(m)) send(frame(m, o.bus.bootId));
      });
      const heartbeat = setInterval(() => send(`: heartbeat ${Date.now()}\n\n`), o.heartbeatMs ?? HEARTBEAT_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        o.signal.removeEventListener("abort", cleanup);
        try {
          controller.close();
        } catch {
          // already closed by the reader
        }
      };
      o.signal.addEventListener("abort", cleanup);

      send("retry: 2000\n\n");
      const replay = o.lastEventId ? o.bus.replayAfter(o.lastEventId) : null;
      if (replay?.kind === "reset") {
        send(`id: ${o.bus.lastEventId()}\nevent: reset\ndata: {}\n\n`);
      } else if (replay) {
        for (const m of replay.messages) {
          sentUpTo = m.id;
          if (visible(m)) send(frame(m, o.bus.bootId));
        }
      }
      // `hello` carries the current id, so even a reader that got no message yet resumes from here.
      send(`id: ${o.bus.lastEventId()}\nevent: hello\ndata: {}\n\n`);
      if (o.signal.aborted) cleanup();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
