/**
 * Managed-routing benchmark: do HAProxy reloads for managed services cost
 * any request on a service that keeps serving?
 *
 *   npm run bench:routing   (= node --conditions=react-server --import tsx scripts/bench/routing.ts; root, lab up)
 *
 * 1. needs the lab up (scripts/lab/up.sh, HAProxy in master-worker mode) and
 *    demo-web free (no servers in its backend: another dashboard owns it;
 *    BENCH_CLEAN=1 removes them); seeds a fresh data dir under bench-results/
 *    and runs Switchyard's server code in this process (no dashboard build);
 * 2. deploys demo-web 1.0.0 (see BENCH_DEMO) and drives it at BENCH_RATE req/s
 *    over BENCH_CONNECTIONS keep-alive connections;
 * 3. meanwhile, BENCH_SERVICES times: creates a managed service (bind
 *    127.0.0.1:BENCH_FIRST_PORT+i: a reload), deploys 1.0.0 and 1.1.0,
 *    switches, checks its bind answers 1.1.0, takes it down and deletes it
 *    (another reload);
 * 4. prints requests, failed requests, every reload's time, p50/max and a
 *    PASS/FAIL line (0 failed requests, every reload ok, at least 2 per service),
 *    writes bench-results/routing-<timestamp>.json, and removes what it made
 *    (containers, demo-web's servers, its include file, with a last reload).
 *
 * Knobs (env): BENCH_RATE=600 BENCH_CONNECTIONS=8 BENCH_SERVICES=10 BENCH_FIRST_PORT=18220,
 * BENCH_DEMO=managed (default: demo-web itself managed, frontend 127.0.0.1:18219, its servers in the
 * include file) or existing (demo-web on the lab's hand-made backend, frontend 18080: HAProxy 2.6 drops
 * runtime-added servers on every reload, so this measures what mixing both kinds of routing costs).
 * Exit status: 0 PASS, 1 FAIL (or error), 2 refused (lab down, demo-web in use).
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isOk, max, median, percentile } from "./lib/analyze";
import { round } from "./lib/clock";
import { serversState } from "./lib/haproxy";
import { labIsUp, readLab, removeServers } from "./lib/lab";
import { startLoad } from "./lib/loadGen";
import { run } from "./lib/proc";
import { envNumber } from "./lib/env";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
process.chdir(ROOT);
const LAB_DIR = path.resolve(process.env.LAB_DIR ?? path.join(ROOT, ".lab"));
const cfg = {
  rate: envNumber("BENCH_RATE", 600),
  connections: Math.round(envNumber("BENCH_CONNECTIONS", 8)),
  services: Math.round(envNumber("BENCH_SERVICES", 10)),
  firstPort: Math.round(envNumber("BENCH_FIRST_PORT", 18220)),
};
/**
 * managed (default): demo-web behind a managed frontend of its own, its servers in the include file, so reloads keep them;
 * existing: behind the lab's hand-made backend (18080), whose runtime-added servers every reload drops until re-added.
 */
const DEMO = process.env.BENCH_DEMO === "existing" ? "existing" : "managed";
const DEMO_MANAGED_BIND = "127.0.0.1:18219";
const log = (msg: string) => console.log(`[bench] ${msg}`);
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const RUN_DIR = path.join(ROOT, "bench-results", `routing-${stamp}`);

type LabWithMaster = NonNullable<ReturnType<typeof readLab>> & {
  haproxy: { masterSocket?: string; config?: string; managedDir?: string };
};

function getVersion(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/version`, { agent: false, timeout: 5000 }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => (res.statusCode === 200 ? resolve(body.trim()) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
      })
      .on("error", reject);
  });
}

async function main(): Promise<number> {
  const lab = readLab(LAB_DIR) as LabWithMaster | null;
  if (!lab || !labIsUp(LAB_DIR)) {
    log(`the lab is not up (${LAB_DIR}): start it with scripts/lab/up.sh`);
    return 2;
  }
  // lab.json written by an older up.sh lacks these; the paths are the lab's own.
  const hap = path.join(LAB_DIR, "haproxy");
  const {
    masterSocket = path.join(hap, "master.sock"),
    config = `${path.join(hap, "haproxy.cfg")},${path.join(hap, "managed.d")}`,
    managedDir = path.join(hap, "managed.d"),
    adminSocket,
  } = lab.haproxy;
  if (!fs.existsSync(masterSocket) || !fs.existsSync(managedDir)) {
    log(`${masterSocket} or ${managedDir} missing: re-run scripts/lab/up.sh (HAProxy in master-worker mode)`);
    return 2;
  }
  const busy = await serversState(adminSocket, "demo-web");
  if (busy.length) {
    if (process.env.BENCH_CLEAN !== "1") {
      log(
        `demo-web already has servers in HAProxy (${busy.map((s) => s.name).join(", ")}): another dashboard owns it. BENCH_CLEAN=1 removes them.`,
      );
      return 2;
    }
    await removeServers(
      adminSocket,
      "demo-web",
      busy.map((s) => s.name),
    );
  }

  fs.mkdirSync(RUN_DIR, { recursive: true });
  const managedFile = path.join(managedDir, `bench-routing-${process.pid}.cfg`);
  Object.assign(process.env, {
    SWITCHYARD_DATA_DIR: path.join(RUN_DIR, "data"),
    SWITCHYARD_HAPROXY_SOCKET: adminSocket,
    SWITCHYARD_HAPROXY_CONFIG: config,
    SWITCHYARD_HAPROXY_MANAGED_FILE: managedFile,
    SWITCHYARD_HAPROXY_MASTER_SOCKET: masterSocket,
    LAB_DIR,
  });
  await run("node", ["--conditions=react-server", "--import", "tsx", "scripts/seedLab.ts"], { quiet: true });

  const { deployRelease } = await import("@/server/releases/deployRelease");
  const { switchTraffic } = await import("@/server/releases/switchTraffic");
  const { operationWithSteps } = await import("@/server/operations/operationLog");
  const { releaseWithStatus, setReleaseStatus } = await import("@/server/releases/releaseRows");
  const { removeReleaseContainers } = await import("@/server/releases/removeReleaseContainers");
  const { serviceByName } = await import("@/server/services/serviceRows");
  const { createRoutedService, deleteRoutedService } = await import("@/server/routing/managed/saveRoutedService");
  const { lastReloads } = await import("@/server/routing/managed/reloadRows");
  const { reloadThroughMaster } = await import("@/server/routing/managed/masterCli");
  const system = { userId: 0, username: "bench", role: "admin" as const, via: "session" as const, ip: null };

  const deploy = async (service: string, image: string) => {
    const { operationId, done } = deployRelease(system, service, "deploy", { image });
    await done;
    const op = operationWithSteps(operationId)!;
    if (op.status !== "succeeded") throw new Error(`deploy ${service} ${image}: ${op.status} ${op.error ?? ""}`);
  };
  const takeDown = async (service: string) => {
    const s = serviceByName(service);
    for (const status of ["candidate", "standby", "live"] as const) {
      const r = releaseWithStatus(s.id, status);
      if (!r) continue;
      setReleaseStatus(r.id, "retired", { retiredAt: new Date() });
      await removeReleaseContainers([r.id]);
    }
  };
  const created: string[] = [];
  const cleanup = async () => {
    for (const name of [...created, "demo-web"]) {
      await takeDown(name).catch((err: Error) => log(`clean-up ${name}: ${err.message}`));
      const left = (await serversState(adminSocket, "demo-web").catch(() => [])).map((s) => s.name);
      if (name === "demo-web" && left.length) await removeServers(adminSocket, "demo-web", left);
    }
    for (const name of [...created, "demo-web"]) await deleteRoutedService(system, name).catch(() => undefined);
    // This run's include file leaves the directory; one reload takes whatever it still held out of HAProxy.
    fs.rmSync(managedFile, { force: true });
    await reloadThroughMaster(masterSocket, adminSocket).catch((err: Error) => log(`clean-up reload: ${err.message}`));
  };

  let pass: boolean;
  try {
    let frontend = lab.haproxy.frontends["demo-web"] ?? "http://127.0.0.1:18080";
    if (DEMO === "managed") {
      const { updateRoutedService } = await import("@/server/routing/managed/saveRoutedService");
      const { specOf } = await import("@/server/services/serviceRows");
      const { haproxy: _handMade, ...spec } = specOf(serviceByName("demo-web"));
      await updateRoutedService(system, "demo-web", { ...spec, haproxy: { managed: { bind: DEMO_MANAGED_BIND } } });
      frontend = `http://${DEMO_MANAGED_BIND}`;
      log(`deploying demo-web 1.0.0 (BENCH_DEMO=managed: managed frontend ${DEMO_MANAGED_BIND}, its servers in the include file)`);
    } else log("deploying demo-web 1.0.0 (hand-made backend demo-web, frontend 18080, servers added through the runtime API)");
    await deploy("demo-web", "1.0.0");
    log(`load: ${cfg.rate} req/s over ${cfg.connections} connections on ${frontend}/version`);
    const load = startLoad({ url: `${frontend}/version`, rate: cfg.rate, connections: cfg.connections });
    const lifecycle: { service: string; ms: number }[] = [];
    const t0 = Date.now();
    for (let i = 0; i < cfg.services; i++) {
      const name = `bench-mr${i}`;
      const bind = `127.0.0.1:${cfg.firstPort + i}`;
      const start = Date.now();
      await createRoutedService(system, {
        name,
        image: `${lab.registry}/demo-web`,
        placement: [{ host: "alpha", replicas: 1 }],
        healthCheck: { path: "/health", expectStatus: 200, intervalMs: 300, timeoutMs: 1000, healthyAfter: 2, gateTimeoutS: 10 },
        haproxy: { managed: { bind } },
      });
      created.push(name);
      await deploy(name, "1.0.0");
      await deploy(name, "1.1.0");
      await switchTraffic(system, name, "switch");
      const answered = await getVersion(`http://${bind}`);
      if (answered !== "1.1.0") throw new Error(`${name} on ${bind} answered ${answered}, not 1.1.0`);
      await takeDown(name);
      const deleted = await deleteRoutedService(system, name);
      if (deleted.routing) throw new Error(deleted.routing);
      created.splice(created.indexOf(name), 1);
      lifecycle.push({ service: name, ms: Date.now() - start });
      log(`${name} on ${bind}: created, deployed 1.0.0 + 1.1.0, switched (answers 1.1.0), deleted in ${Date.now() - start} ms`);
    }
    const result = await load.stop();
    const samples = result.samples;
    const failed = samples.filter((s) => !isOk(s));
    const reloads = lastReloads(1000).reverse();
    const times = reloads.filter((r) => r.outcome === "ok").map((r) => r.durationMs);
    const sorted = [...times].sort((a, b) => a - b);
    const notOk = reloads.filter((r) => r.outcome !== "ok");
    pass = failed.length === 0 && notOk.length === 0 && reloads.length >= 2 * cfg.services;

    console.log("");
    console.log(`requests           ${samples.length} over ${round((Date.now() - t0) / 1000)} s (${result.unsent} due but unsent)`);
    console.log(`failed requests    ${failed.length}${failed.length ? `  e.g. ${JSON.stringify(failed.slice(0, 3))}` : ""}`);
    console.log(
      `reloads            ${reloads.length} (${notOk.length} not ok${notOk.length ? `: ${notOk.map((r) => `${r.trigger}: ${r.error}`).join("; ")}` : ""})`,
    );
    console.log(`reload times (ms)  ${times.join(" ")}`);
    console.log(`reload p50 / p95 / max  ${median(times)} / ${percentile(sorted, 95)} / ${max(times)} ms`);
    console.log(`lifecycle per service (create → deploy ×2 → switch → delete), ms: ${lifecycle.map((l) => l.ms).join(" ")}`);
    console.log(`demo-web routing   ${DEMO} (${frontend})`);
    console.log(
      `${pass ? "PASS" : "FAIL"}: ${failed.length} failed of ${samples.length} requests (target 0), ${reloads.length} reloads (target ≥ ${2 * cfg.services}, all ok)`,
    );
    const out = path.join(ROOT, "bench-results", `routing-${stamp}.json`);
    fs.writeFileSync(
      out,
      JSON.stringify(
        { config: cfg, requests: samples.length, failed: failed.length, failures: failed.slice(0, 50), reloads, lifecycle },
        null,
        2,
      ),
    );
    log(`figures written to ${path.relative(ROOT, out)}`);
  } finally {
    await cleanup();
  }
  return pass ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
