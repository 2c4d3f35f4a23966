/**
 * Readers benchmark: does reading the dashboard cost the engines and HAProxy
 * anything, and do the read APIs stay as fast as a trivial one under load?
 *
 *   npm run bench:readers           (= tsx scripts/bench/readers.ts; needs root and a running lab)
 *
 * Run it under the lab lock in the form that keeps the lock out of the daemons it starts:
 *   ( flock 200; LAB_DIR=/work/main/.lab npm run bench:readers 200>&- ) 200>/tmp/switchyard-lab.lock
 *
 * 1. scales the lab to BENCH_ENGINES engines (LAB_ENGINES=N scripts/lab/engines.sh:
 *    alpha, beta, engine-03 …), puts a counting pass-through Unix socket in front of
 *    every engine and of HAProxy's admin socket, and points a fresh dashboard
 *    (`npx next start` of the build in NEXT_DIST_DIR, default .next) at them through
 *    SWITCHYARD_HOSTS / SWITCHYARD_HAPROXY_SOCKET;
 * 2. creates service bench-readers (one replica per engine, not routed) and deploys
 *    demo-web 1.0.0, then fills every engine up to BENCH_CONTAINERS containers with
 *    busybox sleepers (no network);
 * 3. waits for the start-up drift scan, then counts the Docker API requests and
 *    HAProxy commands the dashboard makes during an idle BENCH_IDLE_S;
 * 4. runs BENCH_READERS concurrent readers for BENCH_DURATION_S, each looping over
 *    GET /api/fleet, /api/services/bench-readers, /api/drift, /api/quarantines,
 *    /api/events and /api/me (the baseline), while counting calls again and
 *    sampling the dashboard's RSS (`ps`, the largest process of its group: next-server);
 * 5. prints p50/p95 per endpoint next to /api/me's p95, calls/s idle vs loaded,
 *    the RSS, and PASS/FAIL against the targets: every p95 ≤ 2× /api/me's p95,
 *    calls/s under load ≤ idle × 1.25 + 0.1 (the inventory period makes the idle
 *    figure itself move by a call or two), peak RSS < 300 MB, no failed request.
 *    Writes bench-results/readers-<timestamp>.json. Cleans up: stops its dashboard by
 *    pid, removes its containers, and scales the lab back to 2 engines (LAB_ENGINES=2).
 *
 * Knobs (env): BENCH_ENGINES=12 BENCH_CONTAINERS=20 BENCH_READERS=50 BENCH_DURATION_S=30
 * BENCH_IDLE_S=60 BENCH_PORT=<free>. Exit status: 0 PASS, 1 FAIL (or error).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Docker from "dockerode";
import { percentile } from "./lib/analyze";
import { now, round, sleep } from "./lib/clock";
import { readLab, type Lab } from "./lib/lab";
import { run, startServer, type Server } from "./lib/proc";
import { envNumber, freePort } from "./lib/env";
import { request as httpRequest } from "./lib/api";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
process.chdir(ROOT);

const cfg = {
  engines: Math.round(envNumber("BENCH_ENGINES", 12)),
  containers: Math.round(envNumber("BENCH_CONTAINERS", 20)),
  readers: Math.round(envNumber("BENCH_READERS", 50)),
  durationS: envNumber("BENCH_DURATION_S", 30),
  idleS: envNumber("BENCH_IDLE_S", 60),
};
const TARGET = { p95Ratio: 2, rssMb: 300, callsFactor: 1.25, callsSlack: 0.1 };
const SERVICE = "bench-readers";
const SLEEPER = "bench-readers-sleeper";
const ENDPOINTS = ["/api/fleet", `/api/services/${SERVICE}`, "/api/drift", "/api/quarantines", "/api/events", "/api/me"] as const;

const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const OUT_DIR = path.join(ROOT, "bench-results");
const RUN_DIR = path.join(OUT_DIR, `readers-${stamp}`);
const JSON_OUT = path.join(OUT_DIR, `readers-${stamp}.json`);
const LAB_DIR = path.resolve(process.env.LAB_DIR ?? path.join(ROOT, ".lab"));
const log = (msg: string) => console.log(`[bench] ${msg}`);

// ---------------------------------------------------------------------------
// Counting pass-through sockets: every HTTP request line sent to an engine, every
// connection to HAProxy's admin socket (one runtime-API command per connection).
// ---------------------------------------------------------------------------
const REQUEST_LINE = /(?:^|\n)(GET|POST|PUT|DELETE|HEAD) \/\S* HTTP\/1\.[01]\r\n/g;

function countingProxy(upstream: string, listenPath: string, mode: "http" | "connections") {
  const counter = { count: 0 };
  fs.rmSync(listenPath, { force: true });
  const server = net.createServer((client) => {
    if (mode === "connections") counter.count++;
    const up = net.createConnection({ path: upstream });
    let tail = "";
    client.on("data", (c: Buffer) => {
      if (mode === "http") {
        const text = tail + c.toString("latin1");
        counter.count += [...text.matchAll(REQUEST_LINE)].length;
        // keep the end of the chunk: a request line split across two chunks still counts once
        const cut = text.lastIndexOf("\n");
        tail = cut >= 0 ? text.slice(Math.max(cut, text.length - 300)) : text.slice(-300);
      }
      up.write(c);
    });
    client.on("end", () => up.end());
    up.on("data", (c: Buffer) => client.write(c));
    up.on("end", () => client.end());
    up.on("error", () => client.destroy());
    client.on("error", () => up.destroy());
    client.on("close", () => up.destroy());
  });
  return {
    counter,
    listen: () => new Promise<void>((r) => server.listen(listenPath, () => r())),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

// ---------------------------------------------------------------------------
// HTTP client with enough sockets for every reader.
// ---------------------------------------------------------------------------
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

const request = (base: string, method: string, p: string, headers: Record<string, string>, body?: unknown) =>
  httpRequest(base, method, p, headers, body, 300_000, agent);

// ---------------------------------------------------------------------------
// Lab engines
// ---------------------------------------------------------------------------
/** Every engine by its unix socket (beta's too: the proxy counts plain HTTP, not TLS). */
function engineSockets(lab: Lab): { name: string; socket: string }[] {
  return lab.hosts.map((h) => ({
    name: h.name,
    socket: h.url.startsWith("unix://") ? h.url.slice("unix://".length) : path.join(LAB_DIR, h.name, "docker.sock"),
  }));
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
    }),
  );
}

async function removeMine(engines: { name: string; socket: string }[]): Promise<number> {
  let removed = 0;
  await inParallel(engines, 4, async (e) => {
    const d = new Docker({ socketPath: e.socket });
    const list = await d.listContainers({ all: true }).catch(() => []);
    for (const c of list) {
      const name = (c.Names[0] ?? "").replace(/^\//, "");
      if (name.startsWith(`${SLEEPER}-`) || name.startsWith(`${SERVICE}-r`)) {
        await d
          .getContainer(c.Id)
          .remove({ force: true })
          .then(() => removed++)
          .catch(() => undefined);
      }
    }
  });
  return removed;
}

/** Peak and last RSS (MB) of the largest process in the dashboard's process group. */
function rssOfGroup(pgid: number): number | null {
  try {
    const out = execFileSync("ps", ["-o", "rss=", "-g", String(pgid)], { encoding: "utf8" });
    const kb = out
      .split("\n")
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
    return kb.length ? Math.max(...kb) / 1024 : null;
  } catch {
    return null;
  }
}

type Sample = { endpoint: string; ms: number; status: number; error: string | null };

async function main(): Promise<number> {
  if (process.getuid?.() !== 0) throw new Error("needs root (the lab's engines)");
  const before = readLab(LAB_DIR);
  if (!before) throw new Error(`${LAB_DIR}/lab.json missing: start the lab (scripts/lab/up.sh)`);
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!fs.existsSync(path.join(ROOT, distDir, "BUILD_ID")))
    throw new Error(`${distDir}/BUILD_ID missing: build first (NEXT_DIST_DIR=${distDir} npx next build --webpack)`);
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const sockDir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-readers-"));

  let server: Server | null = null;
  const proxies: ReturnType<typeof countingProxy>[] = [];
  let engines: { name: string; socket: string }[] = [];
  const report: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    config: cfg,
    targets: TARGET,
    host: { cpus: os.cpus().length, node: process.version },
  };

  const cleanup = async () => {
    if (server) {
      log(`stopping the dashboard (pid ${server.pid})`);
      await server.stop();
      server = null;
    }
    for (const p of proxies.splice(0)) await p.close();
    if (engines.length) log(`clean-up: removed ${await removeMine(engines)} container(s)`);
    log("scaling the lab back to 2 engines (LAB_ENGINES=2 scripts/lab/engines.sh)");
    await run("bash", ["scripts/lab/engines.sh"], { env: { ...process.env, LAB_DIR, LAB_ENGINES: "2" }, quiet: true }).catch((err: Error) =>
      log(`engines.sh: ${err.message}`),
    );
    fs.rmSync(sockDir, { recursive: true, force: true });
  };
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    log("interrupted: cleaning up");
    void cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    // --- 1. engines and counting proxies ----------------------------------------------------
    const t0 = now();
    log(`scaling the lab to ${cfg.engines} engines (LAB_ENGINES=${cfg.engines} scripts/lab/engines.sh)`);
    await run("bash", ["scripts/lab/engines.sh"], { env: { ...process.env, LAB_DIR, LAB_ENGINES: String(cfg.engines) }, quiet: true });
    const lab = readLab(LAB_DIR)!;
    engines = engineSockets(lab);
    log(`${engines.length} engines up in ${Math.round((now() - t0) / 1000)} s`);
    await removeMine(engines);
    const engineProxies = engines.map((e) => countingProxy(e.socket, path.join(sockDir, `${e.name}.sock`), "http"));
    const haproxyProxy = countingProxy(lab.haproxy.adminSocket, path.join(sockDir, "haproxy.sock"), "connections");
    proxies.push(...engineProxies, haproxyProxy);
    for (const p of proxies) await p.listen();
    const dockerCalls = () => engineProxies.reduce((a, p) => a + p.counter.count, 0);
    const haproxyCalls = () => haproxyProxy.counter.count;

    // --- 2. dashboard -------------------------------------------------------------------------
    const password = `bench-${Math.random().toString(36).slice(2)}-pw`;
    const env = {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      SWITCHYARD_DATA_DIR: path.join(RUN_DIR, "data"),
      SWITCHYARD_ADMIN_USER: "admin",
      SWITCHYARD_ADMIN_PASSWORD: password,
      SWITCHYARD_HOSTS: JSON.stringify(engines.map((e) => ({ name: e.name, url: `unix://${path.join(sockDir, `${e.name}.sock`)}` }))),
      SWITCHYARD_HAPROXY_SOCKET: path.join(sockDir, "haproxy.sock"),
    };
    const port = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startServer(["next", "start", "-H", "127.0.0.1", "-p", String(port)], env, path.join(RUN_DIR, "next.log"));
    log(`dashboard ${base} (pid ${server.pid}, build ${distDir}, log ${path.relative(ROOT, RUN_DIR)}/next.log)`);
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (server.exited()) throw new Error("the dashboard exited during start-up (see its log)");
      const r = await request(base, "GET", "/login", {}).catch(() => null);
      if (r?.status === 200) break;
      if (Date.now() > deadline) throw new Error("dashboard not ready within 90 s");
      await sleep(250);
    }
    const login = await request(base, "POST", "/api/auth/login", { origin: base }, { username: "admin", password });
    const cookie = (login.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!).find((c) => c.startsWith("switchyard_session="));
    if (login.status !== 200 || !cookie) throw new Error(`login failed: HTTP ${login.status} ${login.text.slice(0, 200)}`);
    const headers = { cookie, accept: "application/json" };
    const post = async (p: string, body: unknown) => {
      const r = await request(base, "POST", p, { ...headers, origin: base }, body);
      if (r.status >= 300) throw new Error(`POST ${p}: HTTP ${r.status} ${r.text.slice(0, 400)}`);
      return JSON.parse(r.text) as Record<string, unknown>;
    };

    // --- 3. the fleet: a service with a container on every engine, then sleepers ---------------
    await post("/api/services", {
      name: SERVICE,
      image: `${lab.registry}/demo-web`,
      placement: engines.map((e) => ({ host: e.name, replicas: 1 })),
      port: { mode: "env", containerPort: 8000 },
      healthCheck: { path: "/health", expectStatus: 200, intervalMs: 300, timeoutMs: 1000, healthyAfter: 2, gateTimeoutS: 60 },
      env: [],
      readOnlyRootFs: true,
      autoSwitch: false,
      retireAfterS: null,
    });
    const tDeploy = now();
    const deployed = await post(`/api/services/${SERVICE}/deploy?wait=true`, { image: "1.0.0" });
    const opStatus = (deployed.operation as { status?: string } | undefined)?.status;
    log(`deploy of ${SERVICE} 1.0.0 on ${engines.length} engines: ${opStatus} in ${Math.round((now() - tDeploy) / 1000)} s`);
    if (opStatus !== "succeeded") throw new Error(`deploy ${opStatus}: ${JSON.stringify(deployed).slice(0, 600)}`);
    const image = lab.images["demo-web"]!["1.0.0"]!;
    const tFill = now();
    await inParallel(engines, 3, async (e) => {
      const d = new Docker({ socketPath: e.socket });
      const have = (await d.listContainers({ all: true })).length;
      for (let i = have; i < cfg.containers; i++) {
        const c = await d.createContainer({
          name: `${SLEEPER}-${String(i).padStart(2, "0")}`,
          Image: image,
          Entrypoint: ["/bin/busybox"],
          Cmd: ["sleep", "86400"],
          Labels: { "bench.switchyard": "readers", team: i % 2 ? "web" : "batch" },
          HostConfig: { NetworkMode: "none" },
        });
        await c.start();
      }
    });
    const counts = await Promise.all(
      engines.map((e) => new Docker({ socketPath: e.socket }).listContainers({ all: true }).then((l) => l.length)),
    );
    log(`containers per engine: ${counts.join(" ")} (filled in ${Math.round((now() - tFill) / 1000)} s)`);

    // The start-up drift scan (an operation: it inspects and diffs every container) must be over.
    const scanDeadline = Date.now() + 180_000;
    for (;;) {
      const r = await request(base, "GET", "/api/drift", headers);
      const hosts = (JSON.parse(r.text) as { hosts?: { verdict: string }[] }).hosts ?? [];
      if (hosts.length === engines.length && hosts.every((h) => h.verdict !== "not-scanned")) break;
      if (Date.now() > scanDeadline) {
        log("the start-up drift scan did not finish within 180 s; measuring anyway");
        break;
      }
      await sleep(1000);
    }
    await sleep(3000); // let the sampler's own follow-ups (the events of the fill) settle

    // --- 4. idle ------------------------------------------------------------------------------
    log(`idle ${cfg.idleS} s: counting the dashboard's Docker and HAProxy calls`);
    const idle0 = { t: now(), docker: dockerCalls(), haproxy: haproxyCalls() };
    const idleRss: number[] = [];
    while (now() - idle0.t < cfg.idleS * 1000) {
      const r = rssOfGroup(server.pid);
      if (r) idleRss.push(r);
      await sleep(1000);
    }
    const idleS = (now() - idle0.t) / 1000;
    const idle = {
      seconds: idleS,
      dockerPerS: (dockerCalls() - idle0.docker) / idleS,
      haproxyPerS: (haproxyCalls() - idle0.haproxy) / idleS,
    };

    // --- 5. readers -----------------------------------------------------------------------------
    log(`${cfg.readers} readers for ${cfg.durationS} s on ${ENDPOINTS.join(", ")}`);
    const samples: Sample[] = [];
    const load0 = { t: now(), docker: dockerCalls(), haproxy: haproxyCalls() };
    const stopAt = load0.t + cfg.durationS * 1000;
    const loadRss: number[] = [];
    const rssLoop = (async () => {
      while (now() < stopAt) {
        const r = rssOfGroup(server!.pid);
        if (r) loadRss.push(r);
        await sleep(1000);
      }
    })();
    await Promise.all(
      Array.from({ length: cfg.readers }, async (_, reader) => {
        for (let i = reader; now() < stopAt; i++) {
          const endpoint = ENDPOINTS[i % ENDPOINTS.length]!;
          const t = now();
          try {
            const r = await request(base, "GET", endpoint, headers);
            samples.push({ endpoint, ms: now() - t, status: r.status, error: null });
          } catch (err) {
            samples.push({ endpoint, ms: now() - t, status: 0, error: (err as Error).message });
          }
        }
      }),
    );
    await rssLoop;
    const loadS = (now() - load0.t) / 1000;
    const loaded = {
      seconds: loadS,
      dockerPerS: (dockerCalls() - load0.docker) / loadS,
      haproxyPerS: (haproxyCalls() - load0.haproxy) / loadS,
    };

    // --- 6. figures -----------------------------------------------------------------------------
    const per = ENDPOINTS.map((endpoint) => {
      const mine = samples.filter((s) => s.endpoint === endpoint);
      const ok = mine.filter((s) => s.status === 200);
      const sorted = ok.map((s) => s.ms).sort((a, b) => a - b);
      return { endpoint, requests: mine.length, failed: mine.length - ok.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
    });
    const me = per.find((p) => p.endpoint === "/api/me")!;
    const rss = {
      idlePeakMb: round(Math.max(...idleRss, 0)),
      loadPeakMb: round(Math.max(...loadRss, 0)),
      endMb: round(loadRss.at(-1) ?? null),
    };
    const checks = [
      ...per
        .filter((p) => p.endpoint !== "/api/me")
        .map((p) => ({
          what: `${p.endpoint} p95 ≤ ${TARGET.p95Ratio}× /api/me p95`,
          pass: p.p95 !== null && me.p95 !== null && p.p95 <= TARGET.p95Ratio * me.p95,
        })),
      { what: "no failed request", pass: per.every((p) => p.failed === 0) },
      {
        what: `Docker calls/s under load ≤ idle × ${TARGET.callsFactor} + ${TARGET.callsSlack}`,
        pass: loaded.dockerPerS <= idle.dockerPerS * TARGET.callsFactor + TARGET.callsSlack,
      },
      {
        what: `HAProxy calls/s under load ≤ idle × ${TARGET.callsFactor} + ${TARGET.callsSlack}`,
        pass: loaded.haproxyPerS <= idle.haproxyPerS * TARGET.callsFactor + TARGET.callsSlack,
      },
      { what: `peak RSS < ${TARGET.rssMb} MB`, pass: (rss.loadPeakMb ?? Infinity) < TARGET.rssMb },
    ];
    const pass = checks.every((c) => c.pass);

    const f = (x: number | null) => (x === null ? "—" : `${x.toFixed(1)} ms`);
    console.log("");
    console.log(
      `Readers: ${cfg.readers} concurrent for ${round(loadS)} s, ${engines.length} engines × ${cfg.containers} containers (${samples.length} requests, ${round(samples.length / loadS)} req/s)`,
    );
    console.log(
      `  ${"endpoint".padEnd(30)} ${"requests".padStart(8)} ${"failed".padStart(6)} ${"p50".padStart(10)} ${"p95".padStart(10)}  p95 / me p95`,
    );
    for (const p of per)
      console.log(
        `  ${("GET " + p.endpoint).padEnd(30)} ${String(p.requests).padStart(8)} ${String(p.failed).padStart(6)} ${f(p.p50).padStart(10)} ${f(p.p95).padStart(10)}  ${p.p95 !== null && me.p95 ? `${(p.p95 / me.p95).toFixed(2)}×` : "—"}`,
      );
    console.log(
      `  Docker API calls/s:  idle ${idle.dockerPerS.toFixed(2)} (${round(idleS)} s)   under load ${loaded.dockerPerS.toFixed(2)}`,
    );
    console.log(`  HAProxy commands/s:  idle ${idle.haproxyPerS.toFixed(2)}   under load ${loaded.haproxyPerS.toFixed(2)}`);
    console.log(`  dashboard RSS:       idle peak ${rss.idlePeakMb} MB   under load peak ${rss.loadPeakMb} MB, at the end ${rss.endMb} MB`);
    for (const c of checks) console.log(`  ${c.pass ? "ok  " : "FAIL"} ${c.what}`);
    console.log(pass ? "PASS" : "FAIL");

    Object.assign(report, { endpoints: per, idle, loaded, rss, checks, pass, containersPerEngine: counts });
    fs.writeFileSync(JSON_OUT, JSON.stringify(report, null, 2) + "\n");
    log(`results: ${path.relative(ROOT, JSON_OUT)}`);
    return pass ? 0 : 1;
  } finally {
    if (!interrupted) await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[bench] FAIL: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
