/**
 * Open-loop HTTP load generator that keeps every response.
 *
 * autocannon reports aggregates (and can count non-2xx), but the switch
 * benchmark needs each response's body (which version answered) and its
 * timestamps, so this is a small keep-alive client on node:http instead:
 *
 *  - `connections` slots, each with its own keep-alive Agent (maxSockets 1),
 *    so there are exactly that many client connections to HAProxy;
 *  - requests are *scheduled* at a fixed rate (open loop): a request due while
 *    every slot is busy waits in a queue and its `sched` time keeps the delay
 *    visible (no coordinated omission: see `sent - sched`);
 *  - every response is recorded: scheduled/sent/received time, status, body,
 *    the X-Switchyard-Server header, which slot and which TCP connection
 *    (socket serial) carried it, or the socket error code.
 */
import http from "node:http";
import type { Socket } from "node:net";
import { now, sleep } from "./clock";

export type Sample = {
  /** when the request was due (open-loop schedule) */
  sched: number;
  /** when it was handed to the socket */
  sent: number;
  /** when the body ended (or the error happened) */
  recv: number;
  /** HTTP status, 0 when there was no response */
  status: number;
  body: string | null;
  server: string | null;
  slot: number;
  /** serial number of the TCP connection that carried it (new serial = new connection) */
  sock: number;
  /** socket error code (ECONNRESET, ECONNREFUSED, EPIPE, timeout, …) or null */
  error: string | null;
};

export type LoadOptions = {
  url: string;
  rate: number;
  connections: number;
  /** per-request timeout (ms) */
  timeoutMs?: number;
};

export type LoadHandle = {
  startedAt: number;
  /** stops scheduling, waits for requests in flight (up to their timeout), returns everything */
  stop(): Promise<LoadResult>;
  /** responses recorded so far (live view, do not mutate) */
  samples: Sample[];
};

export type LoadResult = {
  samples: Sample[];
  startedAt: number;
  stoppedAt: number;
  scheduled: number;
  /** requests due but never sent because the run stopped first */
  unsent: number;
  maxQueue: number;
  /** TCP connections opened per slot (1 each = keep-alive never broke) */
  connectionsOpened: number[];
  /** connections that closed while the generator ran, by slot */
  connectionsClosed: number[];
};

export function startLoad(opts: LoadOptions): LoadHandle {
  const { rate, connections } = opts;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const target = new URL(opts.url);
  const interval = 1000 / rate;
  const samples: Sample[] = [];
  const socketSerial = new WeakMap<Socket, number>();
  let nextSerial = 0;
  const opened = new Array<number>(connections).fill(0);
  const closed = new Array<number>(connections).fill(0);
  const agents = Array.from(
    { length: connections },
    () => new http.Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1, keepAliveMsecs: 1000 }),
  );
  // FIFO of idle slots: requests rotate over every connection, so none sits idle long
  // enough to hit HAProxy's `timeout http-keep-alive` (a reuse-after-close race would be the generator's fault).
  const idle: number[] = Array.from({ length: connections }, (_, i) => i);
  const queue: number[] = [];
  let inFlight = 0;
  let maxQueue = 0;
  let scheduled = 0;
  let running = true;
  const startedAt = now();
  let nextDue = startedAt;
  let drained: (() => void) | null = null;

  const send = (slot: number, sched: number) => {
    inFlight++;
    const sent = now();
    let sock = -1;
    let done = false;
    const finish = (s: Omit<Sample, "sched" | "sent" | "slot" | "sock" | "recv">) => {
      if (done) return;
      done = true;
      samples.push({ sched, sent, recv: now(), slot, sock, ...s });
      inFlight--;
      idle.push(slot);
      dispatch();
      if (!running && inFlight === 0 && drained) drained();
    };
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: "GET",
        agent: agents[slot],
        headers: { accept: "*/*" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const server = res.headers["x-switchyard-server"];
          finish({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            server: typeof server === "string" ? server : null,
            error: null,
          });
        });
        res.on("aborted", () => finish({ status: res.statusCode ?? 0, body: null, server: null, error: "response aborted" }));
        res.on("error", (err: NodeJS.ErrnoException) =>
          finish({ status: res.statusCode ?? 0, body: null, server: null, error: err.code ?? err.message }),
        );
      },
    );
    req.on("socket", (s: Socket) => {
      let serial = socketSerial.get(s);
      if (serial === undefined) {
        serial = nextSerial++;
        socketSerial.set(s, serial);
        opened[slot]!++;
        s.once("close", () => closed[slot]!++);
      }
      sock = serial;
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy(Object.assign(new Error("timeout"), { code: "timeout" }));
    });
    req.on("error", (err: NodeJS.ErrnoException) => finish({ status: 0, body: null, server: null, error: err.code ?? err.message }));
    req.end();
  };

  const dispatch = () => {
    while (queue.length && idle.length) send(idle.shift()!, queue.shift()!);
  };

  const tick = () => {
    if (!running) return;
    const t = now();
    while (nextDue <= t) {
      queue.push(nextDue);
      scheduled++;
      nextDue += interval;
    }
    if (queue.length > maxQueue) maxQueue = queue.length;
    dispatch();
    setTimeout(tick, 1);
  };
  tick();

  return {
    startedAt,
    samples,
    async stop() {
      running = false;
      const stoppedAt = now();
      const unsent = queue.length;
      queue.length = 0;
      if (inFlight > 0) {
        await Promise.race([new Promise<void>((r) => (drained = r)), sleep(timeoutMs + 1000)]);
      }
      const closedWhileRunning = [...closed];
      agents.forEach((a) => a.destroy());
      return {
        samples,
        startedAt,
        stoppedAt,
        scheduled,
        unsent,
        maxQueue,
        connectionsOpened: opened,
        connectionsClosed: closedWhileRunning,
      };
    },
  };
}
