/**
 * GET /api/stream through its real route handler: hello with the current id,
 * messages as they are published, resume with Last-Event-ID (replay), reset when
 * too old, token scope, heartbeats, and cleanup when the client goes away.
 */
import { afterAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { startApi } from "./support/apiHarness";

const api = await startApi("live-stream");
const fx = await api.seed();
const { liveBus } = await import("@/server/live/liveBus");
const { liveStreamResponse } = await import("@/server/live/liveStream");
const { createApiToken } = await import("@/server/auth/createApiToken");
const scopedToken = createApiToken(api.actorOf(fx.users.admin, "admin"), { name: "web-only", role: "viewer", services: ["web"] }).token;

afterAll(() => api.close());

type Event = { id?: string; event?: string; data?: string; comment?: string };

/** Reads server-sent events from a response as they come. */
function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  const queue: Event[] = [];
  async function next(timeoutMs = 2000): Promise<Event> {
    const deadline = Date.now() + timeoutMs;
    while (queue.length === 0) {
      const cut = buf.indexOf("\n\n");
      if (cut >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const e: Event = {};
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) e.comment = line.slice(1).trim();
          const m = /^(id|event|data): ?(.*)$/.exec(line);
          if (m) e[m[1] as "id" | "event" | "data"] = m[2];
        }
        if (e.id || e.event || e.data || e.comment) queue.push(e);
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("no event in time");
      const r = await Promise.race([reader.read(), new Promise<null>((res) => setTimeout(() => res(null), left))]);
      if (r === null) throw new Error("no event in time");
      if (r.done) throw new Error("stream ended");
      buf += decoder.decode(r.value, { stream: true });
    }
    return queue.shift()!;
  }
  return { next, done: async () => (await reader.read()).done, cancel: () => reader.cancel() };
}

async function open(query = "", headers: Record<string, string> = {}, auth = { kind: "session" as const, cookie: fx.sessions.viewer }) {
  const handler = await api.handlerFor("GET", "/api/stream");
  const ac = new AbortController();
  const req = api.request("GET", "/api/stream", { query, headers, auth });
  const res = await handler(new NextRequest(req.url, { headers: req.headers, signal: ac.signal }), { params: Promise.resolve({}) });
  return { res, sse: sseReader(res), abort: () => ac.abort() };
}

describe("GET /api/stream", () => {
  it("is an event stream that proxies do not buffer, opening with hello and the current id, then each message", async () => {
    const { res, sse, abort } = await open();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    expect(res.headers.get("cache-control")).toMatch(/no-cache/);
    const hello = await sse.next();
    expect(hello.event).toBe("hello");
    expect(hello.id).toBe(liveBus().lastEventId());
    liveBus().publish("service:web", { service: "web" });
    const m = await sse.next();
    expect(m.id).toBe(liveBus().lastEventId());
    expect(JSON.parse(m.data!)).toMatchObject({ topic: "service:web", service: "web" });
    abort();
  });

  it("resumes after Last-Event-ID with exactly the missed messages, in order", async () => {
    const first = await open();
    const hello = await first.sse.next();
    first.abort();
    liveBus().publish("host:1");
    liveBus().publish("quarantine");
    const again = await open("", { "last-event-id": hello.id! });
    expect(JSON.parse((await again.sse.next()).data!).topic).toBe("host:1");
    expect(JSON.parse((await again.sse.next()).data!).topic).toBe("quarantine");
    expect((await again.sse.next()).event).toBe("hello");
    again.abort();
    // The same through the query parameter (a new EventSource cannot set the header).
    const viaQuery = await open(`lastEventId=${encodeURIComponent(hello.id!)}`);
    expect(JSON.parse((await viaQuery.sse.next()).data!).topic).toBe("host:1");
    viaQuery.abort();
  });

  it("sends reset when the missed messages are no longer kept (or the id is from another boot)", async () => {
    const first = await open();
    const hello = await first.sse.next();
    first.abort();
    for (let i = 0; i < 1001; i++) liveBus().publish("fleet");
    const late = await open("", { "last-event-id": hello.id! });
    const reset = await late.sse.next();
    expect(reset.event).toBe("reset");
    expect(reset.id).toBe(liveBus().lastEventId());
    late.abort();
    const otherBoot = await open("", { "last-event-id": "ffffffff-3" });
    expect((await otherBoot.sse.next()).event).toBe("reset");
    otherBoot.abort();
  });

  it("a token scoped to web sees web's messages only; topics filter the rest", async () => {
    const scoped = await open("", {}, { kind: "token", token: scopedToken } as never);
    await scoped.sse.next();
    const filtered = await open("topics=host:*");
    await filtered.sse.next();
    liveBus().publish("fleet");
    liveBus().publish("service:db", { service: "db" });
    liveBus().publish("operation:7", { service: "web", data: { id: 7 } });
    liveBus().publish("host:5");
    expect(JSON.parse((await scoped.sse.next()).data!)).toMatchObject({ topic: "operation:7", data: { id: 7 } });
    expect(JSON.parse((await filtered.sse.next()).data!).topic).toBe("host:5");
    liveBus().publish("service:web", { service: "web" });
    expect(JSON.parse((await scoped.sse.next()).data!).topic).toBe("service:web");
    await expect(filtered.sse.next(300)).rejects.toThrow("no event in time");
    scoped.abort();
    filtered.abort();
  });

  it("refuses unknown topics (400) and readers without credentials (401)", async () => {
    const bad = await api.call("GET", "/api/stream", { query: "topics=secrets", auth: { kind: "session", cookie: fx.sessions.viewer } });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.message).toMatch(/topics/);
    expect((await api.call("GET", "/api/stream")).status).toBe(401);
  });
});

describe("the stream body", () => {
  it("sends heartbeat comments, and stops listening when the client goes away", async () => {
    const bus = liveBus();
    let listening = 0;
    const counted: typeof bus = {
      ...bus,
      subscribe(listener) {
        listening++;
        const off = bus.subscribe(listener);
        return () => {
          listening--;
          off();
        };
      },
    };
    const ac = new AbortController();
    const sse = sseReader(
      liveStreamResponse({ bus: counted, actor: {}, topics: null, lastEventId: null, signal: ac.signal, heartbeatMs: 50 }),
    );
    expect((await sse.next()).event).toBe("hello");
    expect((await sse.next()).comment).toMatch(/^heartbeat \d+$/);
    expect((await sse.next()).comment).toMatch(/^heartbeat/);
    expect(listening).toBe(1);
    ac.abort();
    expect(listening).toBe(0);
    bus.publish("fleet");
    expect(await sse.done()).toBe(true);
  });
});
