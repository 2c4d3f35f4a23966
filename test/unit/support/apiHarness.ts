/**
 * Calls the real route handlers in-process against a throwaway SQLite database:
 * no Next server, no Docker (hosts point at a dead unix socket, so engine calls
 * fail at once), and a fake HAProxy admin socket that accepts every change.
 *
 * Call `startApi()` before importing anything that reads the configuration.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import type { ApiRoute } from "@/server/http/apiCatalog";
import type { Role } from "@/server/auth/roles";

export const API_DIR = path.resolve(__dirname, "../../../app/api");
export const ORIGIN = "http://switchyard.test";
const HOST = "switchyard.test";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type Credentials =
  | { kind: "none" }
  | { kind: "token"; token: string }
  | { kind: "session"; cookie: string; origin?: string | null }
  | { kind: "headers"; headers: Record<string, string> };

export type CallOptions = {
  params?: Record<string, string>;
  query?: string;
  /** JSON-encoded unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  auth?: Credentials;
};

export type Answer = { status: number; text: string; json: { error?: { code: string; message: string } } & Record<string, unknown> };

/** An HAProxy admin socket that knows every backend (empty) and accepts every change. */
function fakeHaproxy(socketPath: string): Promise<net.Server> {
  return new Promise((resolve) => {
    const srv = net.createServer((conn) => {
      let buf = "";
      conn.on("error", () => undefined);
      conn.on("data", (d) => {
        buf += d.toString();
        const nl = buf.indexOf("\n");
        if (nl < 0) return;
        const command = buf.slice(0, nl);
        if (command.startsWith("show servers state")) {
          conn.end(
            "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord\n\n",
          );
        } else if (command.startsWith("show stat")) {
          conn.end(
            "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate\n\n",
          );
        } else {
          conn.end("\n");
        }
      });
    });
    srv.listen(socketPath, () => resolve(srv));
  });
}

export type Fixture = {
  users: Record<Role, { id: number; username: string; password: string }>;
  tokens: Record<Role, string>;
  sessions: Record<Role, string>;
  deadHostId: number;
  service: string;
};

/** Everything a test needs: the database, fixtures, and `call`. */
export async function startApi(name: string, opts: { haproxy?: boolean } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `switchyard-${name}-`));
  process.env.SWITCHYARD_DATA_DIR = dataDir;
  process.env.SWITCHYARD_SESSION_SECRET = "unit-test-session-secret-0123456789abcdef";
  process.env.SWITCHYARD_HOST_TIMEOUT_MS = "300";
  // Requests here stand for ones that reached the server through a local reverse proxy (peer 127.0.0.1), so X-Forwarded-For counts.
  process.env.SWITCHYARD_TRUSTED_PROXIES = "127.0.0.1/32";
  let haproxy: net.Server | undefined;
  if (opts.haproxy !== false) {
    const sock = path.join(dataDir, "haproxy.sock");
    haproxy = await fakeHaproxy(sock);
    process.env.SWITCHYARD_HAPROXY_SOCKET = sock;
  }

  const { db } = await import("@/db/client");
  const schema = await import("@/db/schema");
  const { API_CATALOG } = await import("@/server/http/apiCatalog");
  const { createSession } = await import("@/server/auth/sessions");
  const { createApiToken } = await import("@/server/auth/createApiToken");
  const { hashPassword } = await import("@/server/auth/password");
  const { installPeerStamp, PEER_HEADER } = await import("@/server/http/peerAddress");
  installPeerStamp();

  const handlers = new Map<string, Handler>();
  async function handlerFor(method: string, apiPath: string): Promise<Handler> {
    const key = `${method} ${apiPath}`;
    const cached = handlers.get(key);
    if (cached) return cached;
    const mod = (await import(routeFile(apiPath))) as Record<string, Handler | undefined>;
    const h = mod[method];
    if (!h) throw new Error(`${routeFile(apiPath)} exports no ${method}`);
    handlers.set(key, h);
    return h;
  }

  function request(method: string, apiPath: string, o: CallOptions = {}): NextRequest {
    const filled = apiPath.replace(/\{(\w+)\}/g, (_m, p: string) => encodeURIComponent(o.params?.[p] ?? `missing-${p}`));
    const url = `${ORIGIN}${filled}${o.query ? `?${o.query}` : ""}`;
    const headers: Record<string, string> = { host: HOST, [PEER_HEADER]: "127.0.0.1" };
    const auth = o.auth ?? { kind: "none" };
    if (auth.kind === "token") headers.authorization = `Bearer ${auth.token}`;
    if (auth.kind === "session") {
      headers.cookie = `switchyard_session=${auth.cookie}`;
      if (auth.origin !== null) headers.origin = auth.origin ?? ORIGIN;
    }
    if (auth.kind === "headers") Object.assign(headers, auth.headers);
    let body: string | undefined = o.rawBody;
    if (body === undefined && o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers["content-type"] = "application/json";
    }
    Object.assign(headers, o.headers ?? {});
    const hasBody = body !== undefined && method !== "GET";
    return new NextRequest(url, { method, headers, body: hasBody ? body : undefined });
  }

  /** One request through the real handler; waits for background work it started (deploys, scans). */
  async function call(method: string, apiPath: string, o: CallOptions = {}): Promise<Answer> {
    const handler = await handlerFor(method, apiPath);
    const res = await handler(request(method, apiPath, o), { params: Promise.resolve(o.params ?? {}) });
    const text = res.headers.get("content-type")?.startsWith("text/event-stream") ? await streamOpening(res) : await res.text();
    await settle();
    let json: Answer["json"] = {};
    try {
      json = JSON.parse(text) as Answer["json"];
    } catch {
      // downloads (tar, YAML) are not JSON
    }
    return { status: res.status, text, json };
  }

  async function user(username: string, role: Role, password = `${username}-password-123`) {
    const row = db()
      .insert(schema.users)
      .values({ username, passwordHash: await hashPassword(password), role, createdAt: new Date() })
      .returning()
      .get();
    return { id: row.id, username, password };
  }

  function actorOf(u: { id: number; username: string }, role: Role) {
    return { userId: u.id, username: u.username, role, via: "session" as const, ip: "10.1.2.3" };
  }

  /** Three users (one per role) with a session and an unscoped token each, a dead host, a service on it. */
  async function seed(): Promise<Fixture> {
    const admin = await user("root", "admin");
    const operator = await user("olga", "operator");
    const viewer = await user("vic", "viewer");
    const users = { admin, operator, viewer };
    const tokens = {} as Record<Role, string>;
    const sessions = {} as Record<Role, string>;
    for (const role of ["admin", "operator", "viewer"] as const) {
      tokens[role] = createApiToken(actorOf(users[role], role), { name: `${role}-token`, role }).token;
      sessions[role] = createSession(users[role].id).token;
    }
    const { createHost } = await import("@/server/hosts/createHost");
    const host = createHost(actorOf(admin, "admin"), { name: "dead", url: `unix://${path.join(dataDir, "no-docker.sock")}` });
    const { createService } = await import("@/server/services/saveService");
    createService(actorOf(admin, "admin"), serviceSpec("web"));
    return { users, tokens, sessions, deadHostId: host.id, service: "web" };
  }

  async function close() {
    await settle();
    db().$client.close();
    await new Promise((r) => (haproxy ? haproxy.close(r) : r(undefined)));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  return { dataDir, db, schema, catalog: API_CATALOG, call, request, handlerFor, seed, user, actorOf, close };
}

export type Api = Awaited<ReturnType<typeof startApi>>;

/** A server-sent events answer never ends: read it up to its `hello` (or `reset`) event, then hang up. */
export async function streamOpening(res: Response): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!/event: (hello|reset)\n/.test(text)) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

/** app/api/services/{name}/deploy → app/api/services/[name]/deploy/route.ts */
export function routeFile(apiPath: string): string {
  const segs = apiPath
    .replace(/^\/api\/?/, "")
    .split("/")
    .filter(Boolean)
    .map((s) => s.replace(/^\{(\w+)\}$/, "[$1]"));
  return path.join(API_DIR, ...segs, "route.ts");
}

export function serviceSpec(name: string) {
  return {
    name,
    image: "registry.test:5000/team/web",
    placement: [{ host: "dead", replicas: 1 }],
    haproxy: { backend: `${name}-be`, previewBackend: `${name}-preview` },
  };
}

/** Waits for operations and drift scans this process started, so that later checks see a quiet database. */
export async function settle(): Promise<void> {
  const g = globalThis as unknown as { switchyardOps?: Map<number, Promise<void>>; switchyardDriftScan?: { done: Promise<void> } | null };
  for (let i = 0; i < 50; i++) {
    const pending = [...(g.switchyardOps?.values() ?? []), ...(g.switchyardDriftScan ? [g.switchyardDriftScan.done] : [])];
    if (pending.length === 0) return;
    await Promise.allSettled(pending);
    await new Promise((r) => setImmediate(r));
  }
}

export const isMutating = (m: string) => m !== "GET";

export const roleBelow = (role: Role | "public"): Role | null => (role === "admin" ? "operator" : role === "operator" ? "viewer" : null);

export function randomName(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(3).toString("hex")}`;
}

export type { ApiRoute };
