/** A logged-in client for the dashboard's JSON API (session cookie + same-origin header). */
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { now } from "./clock";

export type ApiReply<T = unknown> = { status: number; json: T; t0: number; t1: number };

const apiAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** One HTTP request with a JSON body (if any); the answer as text. */
export function request(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
  timeoutMs = 180_000,
  agent: http.Agent = apiAgent,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const url = new URL(path, base);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        agent,
        headers: {
          ...headers,
          ...(payload ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) } : {}),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        res.on("error", reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(payload);
  });
}

export class Api {
  private cookie = "";
  constructor(readonly base: string) {}

  async waitReady(timeoutMs: number, isDead: () => boolean): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (isDead()) throw new Error("the dashboard server exited during start-up (see its log)");
      try {
        const r = await request(this.base, "GET", "/login", {}, undefined, 5000);
        if (r.status === 200) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`dashboard not ready at ${this.base} within ${timeoutMs} ms`);
      await sleep(250);
    }
  }

  async login(username: string, password: string): Promise<void> {
    const r = await request(this.base, "POST", "/api/auth/login", { origin: this.base }, { username, password });
    if (r.status !== 200) throw new Error(`login failed: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    const set = r.headers["set-cookie"] ?? [];
    const session = set.map((c) => c.split(";")[0]!).find((c) => c.startsWith("switchyard_session="));
    if (!session) throw new Error("login answered 200 without a switchyard_session cookie");
    this.cookie = session;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<ApiReply<T>> {
    const headers: Record<string, string> = { cookie: this.cookie, accept: "application/json" };
    if (method !== "GET") headers.origin = this.base;
    const t0 = now();
    const r = await request(this.base, method, path, headers, body);
    const t1 = now();
    let json: unknown;
    try {
      json = JSON.parse(r.text);
    } catch {
      json = { raw: r.text.slice(0, 500) };
    }
    return { status: r.status, json: json as T, t0, t1 };
  }

  get<T = unknown>(path: string) {
    return this.call<T>("GET", path);
  }
  post<T = unknown>(path: string, body: unknown = {}) {
    return this.call<T>("POST", path, body);
  }
  put<T = unknown>(path: string, body: unknown) {
    return this.call<T>("PUT", path, body);
  }
}
