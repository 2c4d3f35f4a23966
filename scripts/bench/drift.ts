/**
 * Drift benchmark: a full drift scan through Switchyard's scan code against a
 * plain sequential loop of `docker diff` over the same containers, in the same
 * run, and how fast the report API answers from the stored scan.
 *
 *   npm run bench:drift   (= node --conditions=react-server --import tsx scripts/bench/drift.ts; root, like the lab)
 *
 * 1. brings the lab up (scripts/lab/up.sh, idempotent);
 * 2. builds an image FROM scratch with busybox and BENCH_FILES (5,000) generated
 *    files on alpha, pushes it to the lab registry, pulls it by digest on beta;
 * 3. creates BENCH_CONTAINERS (100) containers from it, half on each engine,
 *    NetworkMode "none" (no network at all), recorded in a throw-away SQLite
 *    database as the containers of a live release (so Switchyard scans them
 *    fully: inspect, image, config and the changes call); drifts every third one
 *    with `docker exec`;
 * 4. times, ABBA to cancel ordering effects: loop, scan, scan, loop. The loop is
 *    `GET /containers/{id}/changes` (what `docker diff` calls) for each
 *    container, one after the other; the scan is startScan() to its end;
 * 5. times the report API (GET /api/drift, the route handler behind the /drift
 *    page, served over HTTP by node:http here) BENCH_API_CALLS (20) times;
 * 6. prints the figures and a line against the issue's targets, writes them to
 *    bench-results/drift-<timestamp>.json, and removes everything it created:
 *    containers, images on both engines, the registry tag, the data directory.
 *    If the lab was down before, it is stopped again (KEEP_LAB=1 keeps it).
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type Docker from "dockerode";
import { now, round } from "./lib/clock";
import { labIsUp, readLab } from "./lib/lab";
import { run } from "./lib/proc";
import {
  DRIFT_SCRIPT,
  ENGINES,
  benchImage,
  execIn,
  inParallel,
  labEngine,
  removeBenchContainers,
  removeBenchImage,
  type Engine,
  type LabInfo,
} from "./lib/driftFixture";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
process.chdir(ROOT);
const LAB_DIR = path.resolve(process.env.LAB_DIR ?? path.join(ROOT, ".lab"));
const num = (name: string, dflt: number) => {
  const n = Number(process.env[name] ?? dflt);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: expected a positive integer`);
  return n;
};
const FILES = num("BENCH_FILES", 5000);
const CONTAINERS = num("BENCH_CONTAINERS", 100);
const API_CALLS = num("BENCH_API_CALLS", 20);
const SERVICE = "drift-bench";
const PREFIX = `${SERVICE}-r1-`;
const TAG = `run-${process.pid}`;
const log = (msg: string) => console.log(`[bench:drift] ${msg}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** CPU seconds (user + system) used so far by the lab's dockerd and containerd processes: where the changes walk runs. */
function engineCpuS(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* not running */
    }
  }
  return ticks / 100;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-drift-"));
process.env.SWITCHYARD_DATA_DIR = dataDir;

async function main() {
  const wasUp = labIsUp(LAB_DIR);
  log(wasUp ? "lab is up" : "starting the lab: scripts/lab/up.sh");
  await run("bash", ["scripts/lab/up.sh"], { quiet: true });
  const lab = readLab(LAB_DIR) as unknown as LabInfo | null;
  if (!lab) throw new Error(`${LAB_DIR}/lab.json missing after up.sh`);
  const engines = { alpha: labEngine(lab, "alpha"), beta: labEngine(lab, "beta") };
  const leftovers = await removeBenchContainers(engines, PREFIX);
  if (leftovers) log(`removed ${leftovers} leftover container(s) of an earlier run`);
  let image: Awaited<ReturnType<typeof benchImage>> | undefined;
  try {
    const t = now();
    image = await benchImage(engines, lab.registry, SERVICE, TAG, FILES);
    log(`image ${image.pinned} (${FILES} files + busybox) built, pushed and pulled on beta in ${round((now() - t) / 1000)} s`);
    const figures = await measure(lab, engines, image);
    const out = path.join(ROOT, "bench-results", `drift-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ files: FILES, containers: CONTAINERS, ...figures }, null, 2));
    log(`figures written to ${path.relative(ROOT, out)}`);
  } finally {
    const removed = await removeBenchContainers(engines, PREFIX).catch(
      (err: Error) => (log(`clean-up of containers failed: ${err.message}`), 0),
    );
    await removeBenchImage(
      engines,
      lab.labDir,
      SERVICE,
      TAG,
      image ? [image.pinned, image.ref, image.imageId] : [`${lab.registry}/${SERVICE}:${TAG}`],
    ).catch((err: Error) => log(`clean-up of the image failed: ${err.message}`));
    fs.rmSync(dataDir, { recursive: true, force: true });
    log(`removed ${removed} container(s), the image on both engines, the registry tag and the data directory`);
    if (!wasUp && process.env.KEEP_LAB !== "1") {
      log("the lab was down before: scripts/lab/down.sh");
      await run("bash", ["scripts/lab/down.sh"], { quiet: true }).catch((err: Error) => log(`down.sh: ${err.message}`));
    }
  }
}

async function measure(lab: LabInfo, engines: Record<Engine, Docker>, image: { ref: string; pinned: string; imageId: string }) {
  // Server modules read SWITCHYARD_DATA_DIR when first used: import them only now.
  const { db } = await import("@/db/client");
  const { releaseContainers, releases, users } = await import("@/db/schema");
  const { createHost } = await import("@/server/hosts/createHost");
  const { hostRowByName } = await import("@/server/hosts/hostRegistry");
  const { createService } = await import("@/server/services/saveService");
  const { serviceByName, specOf } = await import("@/server/services/serviceRows");
  const { containerCreateOptions } = await import("@/server/releases/containerConfig");
  const { containerName } = await import("@/server/releases/containerNaming");
  const { startScan } = await import("@/server/drift/runScan");
  const { fleetReport } = await import("@/server/drift/driftReport");
  const { engineChangeList } = await import("@/server/drift/changes");
  const { createApiToken } = await import("@/server/auth/createApiToken");
  const { GET: driftApi } = await import("@/app/api/drift/route");
  const { NextRequest } = await import("next/server");

  const system = { userId: 0, username: "bench", role: "admin" as const, via: "session" as const, ip: null };
  for (const h of lab.hosts) {
    const read = (f: string) => fs.readFileSync(f, "utf8");
    createHost(system, {
      name: h.name,
      url: h.url,
      ...(h.tls ? { tlsCa: read(h.tls.ca), tlsCert: read(h.tls.cert), tlsKey: read(h.tls.key) } : {}),
    });
  }
  createService(system, {
    name: SERVICE,
    image: `${lab.registry}/${SERVICE}`,
    placement: ENGINES.map((host) => ({ host, replicas: 20 })),
    readOnlyRootFs: false,
    haproxy: { backend: SERVICE },
  });
  const service = serviceByName(SERVICE);
  const spec = specOf(service);
  const release = db()
    .insert(releases)
    .values({
      serviceId: service.id,
      number: 1,
      imageRef: image.ref,
      imageDigest: image.pinned,
      imageId: image.imageId,
      spec: JSON.stringify(spec),
      status: "live",
      createdBy: "bench",
      createdAt: new Date(),
      liveSince: new Date(),
    })
    .returning()
    .get();

  // Containers: half on each engine, each recorded as a container of the live release.
  let t = now();
  const made: { engine: Engine; id: string; index: number }[] = [];
  const plan = Array.from({ length: CONTAINERS }, (_, i) => ({ engine: ENGINES[i % 2]!, index: Math.floor(i / 2) + 1, n: i }));
  await inParallel(plan, 8, async ({ engine, index, n }) => {
    const host = hostRowByName(engine);
    const name = containerName(SERVICE, 1, engine, index);
    const opts = containerCreateOptions(spec, release, image.pinned, "blue", name, 30000 + n);
    opts.HostConfig = { ...opts.HostConfig, NetworkMode: "none" };
    const c = await engines[engine].createContainer(opts);
    await c.start();
    db()
      .insert(releaseContainers)
      .values({
        releaseId: release.id,
        hostId: host.id,
        slot: "blue",
        name,
        dockerId: c.id,
        port: 30000 + n,
        serverName: `r1-${engine}-${index}`,
        createdAt: new Date(),
      })
      .run();
    made.push({ engine, id: c.id, index: n });
  });
  log(`${made.length} containers created and started in ${round((now() - t) / 1000)} s`);
  t = now();
  const drifted = made.filter((c) => c.index % 3 === 0);
  await inParallel(drifted, 8, (c) => execIn(engines[c.engine], c.id, DRIFT_SCRIPT));
  log(`${drifted.length} of them drifted with docker exec in ${round((now() - t) / 1000)} s`);

  const pids = Object.values(readLab(LAB_DIR)?.pids ?? {}).filter((p) => p > 0);
  const loop = async () => {
    const [t0, cpu0] = [now(), engineCpuS(pids)];
    let entries = 0;
    for (const c of made) entries += engineChangeList(await engines[c.engine].getContainer(c.id).changes()).length;
    return { ms: now() - t0, entries, cpuS: engineCpuS(pids) - cpu0 };
  };
  const scan = async () => {
    const [t0, cpu0] = [now(), engineCpuS(pids)];
    const { done, alreadyRunning } = startScan("manual", null);
    if (alreadyRunning) throw new Error("a scan was already running");
    await done;
    return { ms: now() - t0, cpuS: engineCpuS(pids) - cpu0 };
  };
  const busy = (r: { ms: number; cpuS: number }) =>
    `engines busy ${round(r.cpuS)} CPU-s = ${round((100 * r.cpuS) / (r.ms / 1000), 0)}% of one core`;
  const l1 = await loop();
  log(`sequential docker diff loop #1: ${round(l1.ms)} ms (${l1.entries} change entries; ${busy(l1)})`);
  const s1 = await scan();
  log(`Switchyard scan #1: ${round(s1.ms)} ms (${busy(s1)})`);
  const s2 = await scan();
  log(`Switchyard scan #2: ${round(s2.ms)} ms (${busy(s2)})`);
  const l2 = await loop();
  log(`sequential docker diff loop #2: ${round(l2.ms)} ms (${busy(l2)})`);

  const report = fleetReport();
  const mine = report.hosts.flatMap((h) => h.containers).filter((c) => c.service === SERVICE);
  const withFs = mine.filter((c) => c.counts.changesEffective > 0).length;

  // The report API from the stored scan, over HTTP (node:http in front of the route handler).
  const admin = db()
    .insert(users)
    .values({ username: "bench", passwordHash: "x", role: "viewer", createdAt: new Date() })
    .returning()
    .get();
  const { token } = createApiToken({ ...system, userId: admin.id, role: "viewer" }, { name: "bench", role: "viewer" });
  const server = http.createServer(async (req, res) => {
    const r = await driftApi(
      new NextRequest(`http://127.0.0.1${req.url}`, { headers: { authorization: String(req.headers.authorization) } }),
      { params: Promise.resolve({}) },
    );
    res.writeHead(r.status, { "content-type": "application/json" });
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as import("node:net").AddressInfo).port;
  const apiMs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < API_CALLS; i++) {
    const t0 = now();
    const res = await fetch(`http://127.0.0.1:${port}/api/drift`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.arrayBuffer();
    apiMs.push(now() - t0);
    bytes = body.byteLength;
    if (res.status !== 200) throw new Error(`GET /api/drift answered ${res.status}`);
  }
  server.close();

  const loopMs = (l1.ms + l2.ms) / 2;
  const scanMs = (s1.ms + s2.ms) / 2;
  const ratio = loopMs / scanMs;
  const figures = {
    loopMs: [round(l1.ms), round(l2.ms)],
    scanMs: [round(s1.ms), round(s2.ms)],
    loopMeanMs: round(loopMs),
    scanMeanMs: round(scanMs),
    ratio: round(ratio, 2),
    apiMs: { median: round(median(apiMs)), max: round(Math.max(...apiMs)), first: round(apiMs[0]!), calls: API_CALLS, bytes },
    verdicts: report.summary.counts,
    benchContainers: mine.length,
    withFilesystemDrift: withFs,
    engines: ENGINES.length,
    cpus: os.cpus().length,
    engineCpuS: { loop: [round(l1.cpuS), round(l2.cpuS)], scan: [round(s1.cpuS), round(s2.cpuS)] },
  };
  console.log("");
  console.log(
    `  containers        ${made.length} (${ENGINES.map((e) => `${made.filter((c) => c.engine === e).length} on ${e}`).join(", ")}), image with ${FILES} files; ${drifted.length} drifted by exec`,
  );
  console.log(`  docker diff loop  ${figures.loopMs.join(" / ")} ms (sequential, mean ${figures.loopMeanMs} ms)`);
  console.log(`  Switchyard scan   ${figures.scanMs.join(" / ")} ms (every container on both engines, mean ${figures.scanMeanMs} ms)`);
  console.log(`  ratio             ${figures.ratio}x faster (target: >= ${ENGINES.length}x, the number of engines)`);
  console.log(
    `  engine CPU        loop ${figures.engineCpuS.loop.join(" / ")} CPU-s, scan ${figures.engineCpuS.scan.join(" / ")} CPU-s; this machine has ${figures.cpus} CPU(s), shared by both engines`,
  );
  console.log(
    `  report API        median ${figures.apiMs.median} ms, max ${figures.apiMs.max} ms over ${API_CALLS} calls, ${Math.round(bytes / 1024)} KiB (target: < 200 ms)`,
  );
  console.log(
    `  scan found        ${withFs} of ${mine.length} bench containers with filesystem drift (every bench container also differs in network mode: they run with NetworkMode none, the spec says host)`,
  );
  console.log(`  targets           scan ${ratio >= ENGINES.length ? "PASS" : "FAIL"}, report API ${median(apiMs) < 200 ? "PASS" : "FAIL"}`);
  console.log("");
  db().$client.close();
  return figures;
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`[bench:drift] failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
