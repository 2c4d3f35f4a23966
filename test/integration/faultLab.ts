/**
 * Helpers for the fault tests (faults*.test.ts): an HAProxy of their own (so
 * the shared lab HAProxy is never disturbed, and it can be stopped), an admin
 * socket gate that holds one HAProxy change, a Docker engine of their own
 * (so it can be stopped while other tests use alpha and beta), warm
 * stand-in dashboards (faultChild.ts) that pause at an exact point to be
 * SIGKILLed, and the "nothing lost" accounting of a service's containers.
 * No server imports at the top: loaded before the temp data dir is set.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import { NextRequest } from "next/server";
import { sleep, until } from "./releaseLab";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const HAPROXY = "/usr/sbin/haproxy";
const DOCKERD = ["/usr/sbin/dockerd", "/usr/bin/dockerd"].find((p) => fs.existsSync(p)) ?? "dockerd";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** One runtime-API command straight to a socket (no server code: usable before the data dir is set). */
export function rawHaproxy(socket: string, command: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const conn = net.createConnection(socket);
    const timer = setTimeout(() => conn.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    conn.on("connect", () => conn.write(`${command}\n`));
    conn.on("data", (d) => (out += d.toString()));
    conn.on("close", () => (clearTimeout(timer), resolve(out)));
    conn.on("error", (err) => (clearTimeout(timer), reject(err)));
  });
}

/** If the test process exits without its afterAll (a crash, an interrupted run), our daemons go with it. */
function stopOnExit(proc: ChildProcess): void {
  const hook = () => {
    if (proc.pid !== undefined && proc.exitCode === null && proc.signalCode === null) {
      try {
        process.kill(proc.pid, "SIGCONT");
        process.kill(proc.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  };
  process.once("exit", hook);
  proc.once("exit", () => process.off("exit", hook));
}

async function waitExit(proc: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (proc.exitCode !== null || proc.signalCode !== null) return true;
  return Promise.race([new Promise<boolean>((r) => proc.once("exit", () => r(true))), sleep(timeoutMs).then(() => false)]);
}

/** Stops a process this file started: SIGTERM, then SIGKILL after `graceMs`. Never by name. */
async function stopProcess(proc: ChildProcess | null, graceMs = 5000): Promise<void> {
  if (!proc || proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
  process.kill(proc.pid, "SIGCONT");
  process.kill(proc.pid, "SIGTERM");
  if (await waitExit(proc, graceMs)) return;
  process.kill(proc.pid, "SIGKILL");
  await waitExit(proc, 5000);
}

// ---------------------------------------------------------------------------
// A private HAProxy 2.6: one frontend per backend, admin socket in its own dir.
// ---------------------------------------------------------------------------

export type PrivateHaproxy = Awaited<ReturnType<typeof startPrivateHaproxy>>;

/**
 * Starts HAProxy with `backends` (each with a frontend on a free port that
 * names the answering server in X-Switchyard-Server), as the lab's are
 * configured. stop()/start() restart it with the same config and socket: like
 * a real restart, it comes back without any runtime server.
 */
export async function startPrivateHaproxy(dir: string, backends: string[]) {
  if (!fs.existsSync(HAPROXY)) throw new Error(`${HAPROXY} not found: run scripts/lab/up.sh`);
  const socket = path.join(dir, "haproxy.sock");
  const cfgFile = path.join(dir, "haproxy.cfg");
  const ports: Record<string, number> = {};
  for (const b of backends) ports[b] = await freePort();
  const cfg = [
    "global",
    `  stats socket ${socket} mode 600 level admin`,
    "  stats timeout 30s",
    "defaults",
    "  mode http",
    "  timeout connect 2s",
    "  timeout client 30s",
    "  timeout server 30s",
    "  timeout queue 5s",
    "  option redispatch",
    "  retries 3",
    ...backends.flatMap((b, i) => [
      `frontend fe_${i}`,
      `  bind 127.0.0.1:${ports[b]}`,
      "  http-response set-header X-Switchyard-Server %s",
      `  default_backend ${b}`,
      `backend ${b}`,
      "  balance roundrobin",
      "  option httpchk GET /health",
      "  http-check expect status 200",
    ]),
    "",
  ].join("\n");
  fs.writeFileSync(cfgFile, cfg);
  let proc: ChildProcess | null = null;
  let stderr = "";

  async function start() {
    if (proc && proc.exitCode === null && proc.signalCode === null) return;
    fs.rmSync(socket, { force: true });
    stderr = "";
    proc = spawn(HAPROXY, ["-db", "-f", cfgFile], { stdio: ["ignore", "ignore", "pipe"] });
    stopOnExit(proc);
    proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const p = proc;
    await until(
      "private haproxy admin socket",
      async () => {
        if (p.exitCode !== null) throw new Error(`haproxy exited ${p.exitCode}: ${stderr}`);
        return (await rawHaproxy(socket, "show info")).includes("Name: HAProxy") ? true : undefined;
      },
      10_000,
    );
  }

  await start();
  return {
    socket,
    front: (backend: string) => `http://127.0.0.1:${ports[backend]}`,
    pid: () => proc?.pid,
    start,
    /** SIGTERM and wait: the admin socket and frontends are gone until start(). */
    stop: async () => {
      await stopProcess(proc);
      proc = null;
    },
    /** `show stat` rows of these backends, for failure messages. */
    view: async (...names: string[]) =>
      (await rawHaproxy(socket, "show stat").catch((e: Error) => `(show stat failed: ${e.message})`))
        .split("\n")
        .filter((l) => l.startsWith("# ") || names.some((b) => l.startsWith(`${b},`)))
        .join("\n"),
  };
}

// ---------------------------------------------------------------------------
// An admin-socket gate in front of an HAProxy, for the stand-in dashboards.
// ---------------------------------------------------------------------------

export type AdminGate = Awaited<ReturnType<typeof adminGate>>;

/**
 * A socket at `file` that forwards every runtime-API command to `target`,
 * except the first command `arm()`ed for: "before" does not forward it (the
 * change is not made, until releaseHeld()), "after" forwards it and withholds
 * HAProxy's answer (made, but the caller never learns it). Either way the
 * caller hangs, and the returned promise resolves with the command: the
 * moment to SIGKILL (or to act while the operation is in flight).
 */
export async function adminGate(target: string, file: string) {
  type Rule = { match: (command: string) => boolean; mode: "before" | "after"; resolve: (command: string) => void };
  let rule: Rule | null = null;
  const held: (() => void)[] = [];
  const commands: string[] = [];
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
    return s;
  };
  const server = net.createServer((client) => {
    track(client);
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const nl = buffered.indexOf(10);
      if (nl < 0) return;
      client.off("data", onData);
      const command = buffered.subarray(0, nl).toString("utf8");
      commands.push(command);
      const r = rule && rule.match(command) ? rule : null;
      if (r) rule = null;
      const forward = () => {
        const upstream = track(net.createConnection(target));
        upstream.on("connect", () => {
          upstream.write(buffered);
          if (r?.mode === "after") {
            upstream.resume(); // read and drop the answer; resolve once HAProxy has answered (the change is made)
            upstream.on("end", () => r.resolve(command));
            return;
          }
          client.pipe(upstream);
          upstream.pipe(client);
        });
        upstream.on("error", () => client.destroy());
        client.on("error", () => upstream.destroy());
      };
      if (r?.mode === "before") {
        held.push(forward);
        return r.resolve(command);
      }
      forward();
    };
    client.on("data", onData);
  });
  fs.rmSync(file, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(file, () => resolve());
  });
  return {
    file,
    commands,
    arm(match: (command: string) => boolean, mode: "before" | "after" = "before"): Promise<string> {
      return new Promise<string>((resolve) => (rule = { match, mode, resolve }));
    },
    disarm() {
      rule = null;
    },
    /** Lets a command held "before" through after all (the caller gets HAProxy's answer late). */
    releaseHeld() {
      held.splice(0).forEach((f) => f());
    },
    async close() {
      rule = null;
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(file, { force: true });
    },
  };
}

// ---------------------------------------------------------------------------
// A Docker engine of our own: stopped and started without disturbing alpha/beta.
// ---------------------------------------------------------------------------

export type OwnEngine = Awaited<ReturnType<typeof startOwnEngine>>;

function mountsUnder(...dirs: string[]): string[] {
  return fs
    .readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[1] ?? "")
    .map((m) => m.replace(/\\040/g, " "))
    .filter((m) => dirs.some((d) => m === d || m.startsWith(`${d}/`)))
    .sort((a, b) => b.length - a.length);
}

/**
 * Starts a dockerd (unix socket, same network rules as the lab: no bridge, no
 * iptables; containers use host networking) in a temp dir. stop() is a real
 * engine stop (SIGTERM: it stops its containers and exits; they come back on
 * start() by their restart policy); freeze()/thaw() make its API hang.
 * destroy() removes its containers and everything it left.
 */
export async function startOwnEngine(name: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `switchyard-engine-${name}-`));
  const execRoot = `/run/switchyard-fault-${name}-${process.pid}`;
  const sock = path.join(dir, "docker.sock");
  const log = path.join(dir, "dockerd.log");
  fs.mkdirSync(path.join(dir, "data"));
  fs.writeFileSync(path.join(dir, "daemon.json"), JSON.stringify({ "deprecated-key-path": path.join(dir, "key.json") }));
  const docker = new Docker({ socketPath: sock });
  let proc: ChildProcess | null = null;
  // overlay2 as the lab uses where the filesystem allows it; vfs where it does not (as scripts/lab/lib.sh decides).
  let driver = "overlay2";
  let everStarted = false;

  async function start() {
    try {
      await startWith(driver);
    } catch (err) {
      if (everStarted || driver !== "overlay2") throw err;
      driver = "vfs";
      fs.rmSync(path.join(dir, "data"), { recursive: true, force: true });
      fs.mkdirSync(path.join(dir, "data"));
      await startWith(driver);
    }
  }

  async function startWith(storageDriver: string) {
    if (proc && proc.exitCode === null && proc.signalCode === null) return;
    fs.rmSync(sock, { force: true });
    fs.rmSync(path.join(dir, "dockerd.pid"), { force: true });
    const out = fs.openSync(log, "a");
    const p: ChildProcess = spawn(
      DOCKERD,
      [
        "--config-file",
        path.join(dir, "daemon.json"),
        "--host",
        `unix://${sock}`,
        "--data-root",
        path.join(dir, "data"),
        "--exec-root",
        execRoot,
        "--pidfile",
        path.join(dir, "dockerd.pid"),
        "--storage-driver",
        storageDriver,
        "--bridge=none",
        "--iptables=false",
        "--ip6tables=false",
        "--ip-forward=false",
        "--ip-masq=false",
      ],
      {
        stdio: ["ignore", out, out],
        env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_proxy$/i.test(k))) as NodeJS.ProcessEnv,
      },
    );
    proc = p;
    stopOnExit(p);
    fs.closeSync(out);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (p.exitCode !== null || p.signalCode !== null) {
        proc = null;
        throw new Error(
          `dockerd ${name} (${storageDriver}) exited ${p.exitCode ?? p.signalCode}: ${fs.readFileSync(log, "utf8").slice(-2000)}`,
        );
      }
      if (
        await docker.ping().then(
          (r) => r.toString() === "OK",
          () => false,
        )
      )
        break;
      if (Date.now() > deadline) {
        await stopProcess(p, 10_000);
        proc = null;
        throw new Error(`dockerd ${name} did not answer within 30 s: ${fs.readFileSync(log, "utf8").slice(-2000)}`);
      }
      await sleep(50);
    }
    everStarted = true;
  }

  async function stop() {
    await stopProcess(proc, 30_000);
    proc = null;
  }

  await start();
  return {
    name,
    url: `unix://${sock}`,
    docker,
    running: () => Boolean(proc && proc.exitCode === null && proc.signalCode === null),
    start,
    stop,
    freeze: () => proc?.pid !== undefined && process.kill(proc.pid, "SIGSTOP"),
    thaw: () => proc?.pid !== undefined && process.kill(proc.pid, "SIGCONT"),
    async destroy() {
      try {
        if (!proc) await start();
        else if (proc.pid !== undefined) process.kill(proc.pid, "SIGCONT");
        for (const c of await docker.listContainers({ all: true }))
          await docker
            .getContainer(c.Id)
            .remove({ force: true })
            .catch(() => undefined);
      } finally {
        await stop();
        for (const m of mountsUnder(dir, execRoot)) spawnSync("umount", ["-l", m]);
        fs.rmSync(dir, { recursive: true, force: true });
        fs.rmSync(execRoot, { recursive: true, force: true });
      }
    },
  };
}

// ---------------------------------------------------------------------------
// Stand-in dashboards (faultChild.ts), started ahead of time.
// ---------------------------------------------------------------------------

/** Where a stand-in dashboard stops dead (Atomics.wait) so that it can be SIGKILLed there. */
export type PausePlan =
  /** Before / right after a write to SQLite, once `sql` (a read) returns a row. */
  | { kind: "db"; when: "before" | "after"; sql: string; params?: (string | number)[]; label: string }
  /** Before a Docker engine request is sent, or when its answer has arrived (before the caller sees it). */
  | { kind: "dial"; when: "before" | "after"; method: string; path: string; label: string };

export type ChildCommand = (
  | { verb: "deploy"; service: string; image: string }
  | { verb: "switch"; service: string }
  | { verb: "timers" }
  | { verb: "quarantine"; hostId: number; container: string; reason: string; lifetimeS: number }
) & { pause?: PausePlan; /** Username the operation is recorded under (default "fault-child"). */ actor?: string };

export type FaultChild = {
  proc: ChildProcess;
  lines: Record<string, unknown>[];
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  send: (cmd: ChildCommand) => void;
  /** Resolves with the first line that has `key` (rejects if the child exits first). */
  line: (key: string, timeoutMs?: number) => Promise<Record<string, unknown>>;
  kill: () => Promise<void>;
};

/** Starts faultChild.ts (imports done, waiting for its command on stdin). */
export function spawnFaultChild(env: Record<string, string>): FaultChild {
  const proc = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "test/integration/faultChild.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  let out = "";
  let text = "";
  const waiters: (() => void)[] = [];
  proc.stdout!.setEncoding("utf8").on("data", (d: string) => {
    out += d;
    for (let nl = out.indexOf("\n"); nl >= 0; nl = out.indexOf("\n")) {
      const l = out.slice(0, nl);
      out = out.slice(nl + 1);
      try {
        lines.push(JSON.parse(l) as Record<string, unknown>);
      } catch {
        text += `${l}\n`;
      }
    }
    waiters.splice(0).forEach((w) => w());
  });
  proc.stderr!.setEncoding("utf8").on("data", (d: string) => (text += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    proc.once("exit", (code, signal) => {
      waiters.splice(0).forEach((w) => w());
      r({ code, signal });
    }),
  );
  const output = () => `${JSON.stringify(lines)}\n${text}`;
  return {
    proc,
    lines,
    output,
    exited,
    send: (cmd) => proc.stdin!.write(`${JSON.stringify(cmd)}\n`),
    line: (key, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const deadline = setTimeout(
          () => reject(new Error(`stand-in dashboard: no "${key}" within ${timeoutMs} ms: ${output()}`)),
          timeoutMs,
        );
        const check = () => {
          const hit = lines.find((l) => key in l);
          if (hit) return (clearTimeout(deadline), resolve(hit));
          if (proc.exitCode !== null || proc.signalCode !== null)
            return (clearTimeout(deadline), reject(new Error(`stand-in dashboard exited before "${key}": ${output()}`)));
          waiters.push(check);
        };
        check();
      }),
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await exited;
    },
  };
}

/** One warm stand-in dashboard kept ready, so that a test does not wait for its start-up (~3 s). */
export function childPool(env: Record<string, string>) {
  const all: FaultChild[] = [];
  const warm = () => {
    const c = spawnFaultChild(env);
    all.push(c);
    return c.line("ready").then(() => c);
  };
  let next = warm();
  next.catch(() => undefined);
  return {
    async take(): Promise<FaultChild> {
      const c = await next;
      next = warm();
      next.catch(() => undefined);
      return c;
    },
    async closeAll() {
      await Promise.all(all.map((c) => c.kill()));
    },
  };
}

// ---------------------------------------------------------------------------
// Plain HTTP helpers
// ---------------------------------------------------------------------------

/** GET with no keep-alive; resolves with the status, or 0 and the error when the connection fails. */
export function probe(url: string, timeoutMs = 2000): Promise<{ status: number; body: string; error?: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (err) => resolve({ status: 0, body: "", error: err.message }));
  });
}

// ---------------------------------------------------------------------------
// The real route handlers, called in-process with an API token
// ---------------------------------------------------------------------------

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** One request through a route handler (app/api/…/route.ts export), as an API client would send it. */
export async function callRoute(
  handler: unknown,
  token: string,
  method: string,
  url: string,
  body?: unknown,
  params: Record<string, string> = {},
): Promise<{ status: number; json: Json }> {
  const req = new NextRequest(`http://localhost${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await (handler as Handler)(req, { params: Promise.resolve(params) });
  const text = await res.text();
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}

// ---------------------------------------------------------------------------
// Nothing lost: the engines and the record agree about a service's containers
// ---------------------------------------------------------------------------

/**
 * Every container on `engines` labelled for `service` is an active
 * release_containers row and every active row is a container; containers of
 * routed (live/candidate/standby) releases run; nothing is left of failed or
 * retired releases (quarantined ones live on their own timer). Returns the
 * problems, [] when none. Call after the data dir is set (imports the database).
 */
export async function accountingProblems(service: string, engines: Record<string, Docker>): Promise<string[]> {
  const { db } = await import("@/db/client");
  const { hosts, releaseContainers, releases, services } = await import("@/db/schema");
  const { and, eq, isNull } = await import("drizzle-orm");
  const svc = db().select().from(services).where(eq(services.name, service)).get();
  if (!svc) return [`no service ${service}`];
  const rows = db()
    .select({ c: releaseContainers, host: hosts.name, status: releases.status, number: releases.number })
    .from(releaseContainers)
    .innerJoin(releases, eq(releases.id, releaseContainers.releaseId))
    .innerJoin(hosts, eq(hosts.id, releaseContainers.hostId))
    .where(and(eq(releases.serviceId, svc.id), isNull(releaseContainers.removedAt)))
    .all();
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [engine, docker] of Object.entries(engines)) {
    for (const c of await docker.listContainers({ all: true, filters: { label: [`io.switchyard.service=${service}`] } })) {
      seen.add(c.Id);
      const row = rows.find((r) => r.host === engine && r.c.dockerId === c.Id);
      if (!row) problems.push(`orphan on ${engine}: ${c.Names[0]} (${c.State}) has no active release_containers row`);
      else if (["live", "candidate", "standby"].includes(row.status) && !row.c.quarantinedAt && c.State !== "running")
        problems.push(`${row.c.name} of ${row.status} release ${row.number} is ${c.State}`);
    }
  }
  for (const r of rows) {
    if (!(r.host in engines)) continue;
    if (!r.c.dockerId || !seen.has(r.c.dockerId))
      problems.push(
        `dangling row: ${r.c.name} on ${r.host} (release ${r.number}, ${r.status}) is active but its container (${r.c.dockerId}) does not exist`,
      );
    else if ((r.status === "failed" || r.status === "retired" || r.status === "deploying") && !r.c.quarantinedAt)
      problems.push(`leftover: ${r.c.name} of ${r.status} release ${r.number} still exists`);
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Another writer holding the SQLite file
// ---------------------------------------------------------------------------

const LOCK_HOLDER = `
const Database = require("better-sqlite3");
const [file, holdMs, insert, when] = process.argv.slice(1);
const db = new Database(file);
function lock() {
  db.exec("BEGIN IMMEDIATE");
  if (insert === "insert") {
    db.prepare("insert into events (at, actor, action, outcome, message) values (?, ?, ?, ?, ?)").run(Date.now(), "lock-holder", "fault.lock", "info", "written inside the held write transaction");
  }
  process.stdout.write("locked\\n");
  setTimeout(() => {
    db.exec("COMMIT");
    db.close();
    process.stdout.write("released\\n");
    process.exit(0);
  }, Number(holdMs));
}
process.stdout.write("ready\\n");
if (when === "on-signal") process.stdin.once("data", lock);
else lock();
`;

/**
 * Another process opens the same database file with better-sqlite3 and holds
 * a write transaction (BEGIN IMMEDIATE) for `holdMs`, then commits; with
 * `insert` it writes an event inside it first, with `onSignal` it takes the
 * lock only on go() (started ahead, so the lock lands exactly when wanted).
 * `locked` resolves once it holds the lock, `released` once it committed;
 * kill() SIGKILLs it mid-transaction.
 */
export function holdWriteLock(file: string, holdMs: number, opts: { insert?: boolean; onSignal?: boolean } = {}) {
  const args = ["-e", LOCK_HOLDER, file, String(holdMs), opts.insert ? "insert" : "-", opts.onSignal ? "on-signal" : "now"];
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const seen = (word: string) =>
    new Promise<number>((resolve, reject) => {
      const check = () => {
        if (out.includes(`${word}\n`)) return resolve(Date.now());
        if (proc.exitCode !== null || proc.signalCode !== null)
          return reject(new Error(`lock holder exited before "${word}": ${out}${err}`));
        setTimeout(check, 5);
      };
      check();
    });
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    proc.once("exit", (code, signal) => r({ code, signal })),
  );
  const ready = seen("ready");
  const locked = seen("locked");
  const released = seen("released");
  for (const p of [ready, locked, released]) p.catch(() => undefined);
  return {
    /** Loaded and (with onSignal) waiting for go(). */
    ready,
    locked,
    released,
    exited,
    /** With onSignal: take the lock now. */
    go: () => proc.stdin!.write("go\n"),
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      return exited;
    },
  };
}
