/**
 * Against a real HAProxy 2.6 started by this file (its own config, admin socket
 * and ports) and two busybox httpd servers ("blue" and "green"): applyBackend
 * adds, previews, switches and removes servers while a client loops requests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorMessage } from "@/server/errors";
import { applyBackend as applyOwnedBackend, waitForServersUp, type DesiredServer } from "@/server/haproxy/applyBackend";
import { backendStats } from "@/server/haproxy/backendStats";
import { HaproxyCommandError, HaproxyServersDown, HaproxyUnavailable } from "@/server/haproxy/errors";
import { haproxyCommand } from "@/server/haproxy/runtimeApi";
import { backendServers } from "@/server/haproxy/serverState";

const HAPROXY = "/usr/sbin/haproxy";
const BUSYBOX = ["/bin/busybox", "/usr/bin/busybox"].find((p) => existsSync(p)) ?? "busybox";
const BACKEND = "be_app";
// Every server in this file's backend is this file's (blue, green are not Switchyard-style names, which alone may be removed by default).
const applyBackend: typeof applyOwnedBackend = (sock, backend, desired, checks = {}, options = {}) =>
  applyOwnedBackend(sock, backend, desired, checks, { owns: () => true, ...options });

let dir = "";
let socket = "";
let tcpSocket = "";
let frontendPort = 0;
const ports = { blue: 0, green: 0 };
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function start(cmd: string, args: string[]): ChildProcess {
  const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  child.once("exit", (code) => {
    if (code) console.error(`[haproxyApply] ${cmd} exited ${code}: ${stderr}`);
  });
  children.push(child);
  return child;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await sleep(50);
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms${last ? ` (${String(last)})` : ""}`);
}

type Reply = { status: number; body: string };
function get(urlPath: string, agent: http.Agent | false): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port: frontendPort, path: urlPath, agent, timeout: 2000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
  });
}

type Sample = { startedAt: number; body?: string; status?: number; error?: string };
/** Requests / back to back until stop() is called; every outcome is kept. */
function requestLoop(agent: http.Agent | false) {
  const samples: Sample[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const startedAt = Date.now();
      try {
        const r = await get("/", agent);
        samples.push({ startedAt, body: r.body, status: r.status });
      } catch (err) {
        samples.push({ startedAt, error: errorMessage(err) });
      }
    }
  })();
  return {
    samples,
    stop: async () => {
      running = false;
      await done;
      return samples;
    },
  };
}

const failuresOf = (samples: Sample[]) => samples.filter((s) => s.error || s.status !== 200);

const blue = (over: Partial<DesiredServer> = {}): DesiredServer => ({
  name: "blue",
  address: "127.0.0.1",
  port: ports.blue,
  weight: 100,
  state: "ready",
  ...over,
});
const green = (over: Partial<DesiredServer> = {}): DesiredServer => ({
  name: "green",
  address: "127.0.0.1",
  port: ports.green,
  weight: 100,
  state: "ready",
  ...over,
});

beforeAll(async () => {
  if (!existsSync(HAPROXY)) throw new Error(`${HAPROXY} not found: apt-get install -y haproxy`);
  dir = await mkdtemp(path.join(os.tmpdir(), "switchyard-haproxy-"));
  socket = path.join(dir, "admin.sock");
  frontendPort = await freePort();
  const tcpPort = await freePort();
  tcpSocket = `127.0.0.1:${tcpPort}`;
  for (const color of ["blue", "green"] as const) {
    await mkdir(path.join(dir, color));
    await writeFile(path.join(dir, color, "index.html"), `${color}\n`);
    await writeFile(path.join(dir, color, "health"), "ok\n");
    ports[color] = await freePort();
    start(BUSYBOX, ["httpd", "-f", "-p", `127.0.0.1:${ports[color]}`, "-h", path.join(dir, color)]);
  }
  const cfg = [
    "global",
    `  stats socket ${socket} mode 600 level admin`,
    `  stats socket ipv4@${tcpSocket} level admin`,
    "defaults",
    "  mode http",
    "  timeout connect 5s",
    "  timeout client 10s",
    "  timeout server 10s",
    "frontend fe_app",
    `  bind 127.0.0.1:${frontendPort}`,
    `  default_backend ${BACKEND}`,
    `backend ${BACKEND}`,
    "  balance roundrobin",
    "  option httpchk GET /health",
    "  http-check expect status 200",
    "  default-server inter 300ms fall 2 rise 1",
    "",
  ].join("\n");
  await writeFile(path.join(dir, "haproxy.cfg"), cfg);
  start(HAPROXY, ["-db", "-f", path.join(dir, "haproxy.cfg")]);
  await until("haproxy admin socket", async () => ((await haproxyCommand(socket, "show info")).includes("Version") ? true : undefined));
  for (const color of ["blue", "green"] as const) {
    await until(
      `busybox ${color}`,
      () =>
        new Promise<true>((resolve, reject) => {
          http
            .get({ host: "127.0.0.1", port: ports[color], path: "/health", agent: false }, (res) => (res.resume(), resolve(true)))
            .on("error", reject);
        }),
    );
  }
});

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode !== null || child.pid === undefined) continue;
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(child.pid, "SIGTERM");
    await Promise.race([exited, sleep(2000)]);
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, "SIGKILL");
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("applyBackend against a real HAProxy 2.6", () => {
  it("adds blue live: the frontend serves blue", async () => {
    const ran = await applyBackend(socket, BACKEND, [blue()]);
    expect(ran).toEqual([
      `add server ${BACKEND}/blue 127.0.0.1:${ports.blue} check weight 0 inter 300 fall 2 rise 1`,
      `enable health ${BACKEND}/blue`,
      `set server ${BACKEND}/blue state ready`,
      `set server ${BACKEND}/blue weight 100`,
    ]);
    for (let i = 0; i < 5; i++) expect(await get("/", false)).toEqual({ status: 200, body: "blue" });
    const [state] = await backendServers(socket, BACKEND);
    expect(state).toMatchObject({
      name: "blue",
      port: ports.blue,
      weight: 100,
      adminState: "ready",
      operational: "up",
      checkStatus: "L7OK",
      checkResult: "passed",
    });
  });

  it("adds green at weight 0 (preview): it comes up but takes no traffic", async () => {
    const ran = await applyBackend(socket, BACKEND, [blue(), green({ weight: 0 })]);
    expect(ran).toEqual([
      `add server ${BACKEND}/green 127.0.0.1:${ports.green} check weight 0 inter 300 fall 2 rise 1`,
      `enable health ${BACKEND}/green`,
      `set server ${BACKEND}/green state ready`,
    ]);
    const [up] = await waitForServersUp(socket, BACKEND, ["green"], 3000);
    expect(up).toMatchObject({ name: "green", weight: 0, operational: "up", checkResult: "passed" });
    // Sequential: busybox httpd has a small listen backlog, and a burst of parallel connects can hit a 1 s SYN retransmit.
    const bodies: string[] = [];
    for (let i = 0; i < 20; i++) bodies.push((await get("/", false)).body);
    expect(new Set(bodies)).toEqual(new Set(["blue"]));
  });

  it("switches to green with zero failed requests; only green within 100 ms", async () => {
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const loops = [requestLoop(keepAlive), requestLoop(false), requestLoop(false)];
    await sleep(300);
    const applyStartedAt = Date.now();
    const ran = await applyBackend(socket, BACKEND, [green(), blue({ state: "drain" })]);
    const switchedAt = Date.now();
    expect(ran).toEqual([`set server ${BACKEND}/green weight 100`, `set server ${BACKEND}/blue state drain`]);
    await sleep(500);
    const results = await Promise.all(loops.map((l) => l.stop()));
    keepAlive.destroy();
    for (const samples of results) {
      expect(failuresOf(samples)).toEqual([]);
      expect(samples.filter((s) => s.startedAt < switchedAt - 50).every((s) => s.body === "blue")).toBe(true);
      const after = samples.filter((s) => s.startedAt >= switchedAt + 100);
      expect(after.length).toBeGreaterThan(5);
      expect(after.filter((s) => s.body !== "green")).toEqual([]);
    }
    const lastBlue = Math.max(
      ...results
        .flat()
        .filter((s) => s.body === "blue")
        .map((s) => s.startedAt),
    );
    console.info(
      `[haproxyApply] switch: apply took ${switchedAt - applyStartedAt} ms; last blue request started ${lastBlue - switchedAt} ms after it returned; ` +
        `${results.map((s) => s.length).join("/")} requests (keep-alive/close/close), 0 failed`,
    );
    const states = await backendServers(socket, BACKEND);
    expect(states.find((s) => s.name === "blue")).toMatchObject({ adminState: "drain", weight: 100, operational: "up" });
  });

  it("reports per-server counters from show stat", async () => {
    const rows = await backendStats(socket, BACKEND);
    const byName = new Map(rows.map((r) => [r.server, r]));
    expect([...byName.keys()].sort()).toEqual(["BACKEND", "blue", "green"]);
    expect(byName.get("green")).toMatchObject({ status: "UP", weight: 100, checkStatus: "L7OK", hrsp5xx: 0 });
    expect(byName.get("green")!.reqTotal).toBeGreaterThan(10);
    expect(byName.get("green")!.hrsp2xx).toBe(byName.get("green")!.reqTotal);
    expect(byName.get("blue")).toMatchObject({ status: "DRAIN" });
    expect(byName.get("BACKEND")!.reqTotal).toBe(byName.get("blue")!.reqTotal + byName.get("green")!.reqTotal);
  });

  it("removes blue without failing requests", async () => {
    const loop = requestLoop(new http.Agent({ keepAlive: true, maxSockets: 1 }));
    const ran = await applyBackend(socket, BACKEND, [green()]);
    const samples = await loop.stop();
    expect(ran).toEqual([
      `set server ${BACKEND}/blue state maint`,
      `shutdown sessions server ${BACKEND}/blue`,
      `del server ${BACKEND}/blue`,
    ]);
    expect(failuresOf(samples)).toEqual([]);
    expect((await backendServers(socket, BACKEND)).map((s) => s.name)).toEqual(["green"]);
    expect(await haproxyCommand(socket, `show servers state ${BACKEND}`)).not.toMatch(/ blue /);
  });

  it("is idempotent: a second apply sends no change", async () => {
    expect(await applyBackend(socket, BACKEND, [green()])).toEqual([]);
    expect(await applyBackend(socket, BACKEND, [green()])).toEqual([]);
  });

  it("rolls back to blue (re-added) and repeats the no-op", async () => {
    const desired = [blue(), green({ state: "drain" })];
    const ran = await applyBackend(socket, BACKEND, desired);
    expect(ran).toEqual([
      `add server ${BACKEND}/blue 127.0.0.1:${ports.blue} check weight 0 inter 300 fall 2 rise 1`,
      `enable health ${BACKEND}/blue`,
      `set server ${BACKEND}/blue state ready`,
      `set server ${BACKEND}/blue weight 100`,
      `set server ${BACKEND}/green state drain`,
    ]);
    const bodies: string[] = [];
    for (let i = 0; i < 10; i++) bodies.push((await get("/", false)).body);
    expect(new Set(bodies)).toEqual(new Set(["blue"]));
    expect(await applyBackend(socket, BACKEND, desired)).toEqual([]);
  });

  it("will not give traffic to a new server that fails its check (nothing else changes)", async () => {
    const deadPort = await freePort();
    const broken = { name: "broken", address: "127.0.0.1", port: deadPort, weight: 100, state: "ready" as const };
    const attempt = applyBackend(socket, BACKEND, [broken, blue({ state: "drain" }), green({ state: "drain" })], {}, { upTimeoutMs: 1500 });
    await expect(attempt).rejects.toBeInstanceOf(HaproxyServersDown);
    await expect(attempt).rejects.toThrow(/broken \(down, check L4CON\)/);
    const states = new Map((await backendServers(socket, BACKEND)).map((s) => [s.name, s]));
    expect(states.get("broken")).toMatchObject({ weight: 0, operational: "down" });
    expect(states.get("blue")).toMatchObject({ adminState: "ready", weight: 100 });
    expect((await get("/", false)).body).toBe("blue");
    await expect(waitForServersUp(socket, BACKEND, ["broken", "ghost"], 300)).rejects.toThrow(
      /broken \(down, check L4CON\), ghost \(not in the backend\)/,
    );
    expect(await applyBackend(socket, BACKEND, [blue(), green({ state: "drain" })])).toEqual([
      `set server ${BACKEND}/broken state maint`,
      `shutdown sessions server ${BACKEND}/broken`,
      `del server ${BACKEND}/broken`,
    ]);
  });

  it("reports HAProxy's error replies as HaproxyCommandError", async () => {
    await expect(haproxyCommand(socket, `set server ${BACKEND}/nope state ready`)).rejects.toThrow(
      new HaproxyCommandError(`set server ${BACKEND}/nope state ready`, "No such server."),
    );
    await expect(haproxyCommand(socket, "set server nobe/x state ready")).rejects.toThrow(/No such backend/);
    await expect(haproxyCommand(socket, "frobnicate")).rejects.toThrow(/"frobnicate": Unknown command$/);
    await expect(haproxyCommand(socket, `del server ${BACKEND}/blue`)).rejects.toThrow(/Only servers in maintenance mode can be deleted/);
    await expect(haproxyCommand(socket, "show info; shutdown frontend fe_app")).rejects.toThrow(/without ';'/);
    await expect(applyBackend(socket, BACKEND, [blue({ name: "bad name" })])).rejects.toThrow(/only letters/);
  });

  it("speaks to a TCP admin socket too", async () => {
    expect((await backendServers(tcpSocket, BACKEND)).map((s) => s.name).sort()).toEqual(["blue", "green"]);
  });

  it("rejects with HaproxyUnavailable when the socket is missing or refused", async () => {
    const missing = path.join(dir, "nope", "admin.sock");
    await expect(haproxyCommand(missing, "show info")).rejects.toBeInstanceOf(HaproxyUnavailable);
    await expect(haproxyCommand(missing, "show info")).rejects.toThrow(`HAProxy admin socket ${missing}: no such socket`);
    await expect(applyBackend(missing, BACKEND, [blue()])).rejects.toBeInstanceOf(HaproxyUnavailable);
    const closed = `127.0.0.1:${await freePort()}`;
    await expect(haproxyCommand(closed, "show info")).rejects.toThrow(`HAProxy admin socket ${closed}: connection refused`);
  });
});
