/**
 * Switch benchmark: how fast does a Switchyard traffic switch become visible,
 * and does any request fail while it happens?
 *
 *   npm run bench:switch            (= tsx scripts/bench/switch.ts; needs root, like the lab)
 *
 * 1. brings the lab up (scripts/lab/up.sh, idempotent), builds the app only if
 *    .next/BUILD_ID is missing, seeds a fresh data dir under bench-results/ and
 *    starts its own dashboard (`npx next start`) on a free port;
 * 2. deploys demo-web 1.0.0 (goes live) and 1.1.0 (candidate), timing the
 *    latter (API call → candidate ready; the image is already on the hosts);
 * 3. drives http://127.0.0.1:18080/version at BENCH_RATE req/s over
 *    BENCH_CONNECTIONS keep-alive connections for BENCH_DURATION_S, while
 *    changing the live release BENCH_SWITCHES times, BENCH_SPACING_MS apart:
 *    one Switch (candidate → live), then Rollbacks (standby ↔ live; after the
 *    first switch there is no candidate left, so every later change is a rollback);
 * 4. times a deploy + switch (click → new version answering at the frontend);
 * 5. prints the figures and a PASS/FAIL line against the targets (0 failed
 *    requests, switch visible < 100 ms), writes everything measured to
 *    bench-results/switch-<timestamp>.json, stops its dashboard by pid and
 *    removes what it deployed (containers, HAProxy servers). If the lab was
 *    down before, it is stopped again (KEEP_LAB=1 keeps it).
 *
 * It refuses to start when demo-web already has servers in HAProxy or
 * containers on the engines (another dashboard owns the service: two
 * dashboards reconciling one HAProxy backend fight over it). BENCH_CLEAN=1
 * removes such leftovers first.
 *
 * Knobs (env): BENCH_RATE=600 BENCH_CONNECTIONS=8 BENCH_DURATION_S=22
 * BENCH_SWITCHES=10 BENCH_SPACING_MS=1800 BENCH_LEAD_IN_MS=2000 BENCH_PORT=<free>
 * BENCH_PROBE_RATE=200 (deploy + switch probe), BENCH_TRACE_HAPROXY=1 (record the
 * dashboard's runtime-API commands through a pass-through socket, for diagnosis).
 * Exit status: 0 PASS, 1 FAIL (or error), 2 refused (demo-web in use).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { errorMessage } from "@/server/errors";
import { Api } from "./lib/api";
import { failureDetails, max, median, summarizeLoad, switchFigures, type SwitchCall, type SwitchFigures } from "./lib/analyze";
import { epochOf, now, round, sleep } from "./lib/clock";
import { diffStats, haproxyIdentity, serversState, statRows, watchBackends, type StateChange } from "./lib/haproxy";
import { labIsUp, readLab, removeContainers, removeServers, serviceContainers, type Lab } from "./lib/lab";
import { startLoad, type LoadResult, type Sample } from "./lib/loadGen";
import { run, startServer, type Server } from "./lib/proc";
import { traceSocket } from "./lib/socketTrace";
import { envNumber, freePort } from "./lib/env";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
process.chdir(ROOT);

const SERVICE = "demo-web";
const BACKENDS = ["demo-web", "demo-web-preview"];
const FIRST = "1.0.0";
const SECOND = "1.1.0";
const TARGET_SWITCH_VISIBLE_MS = 100;
const TRACE = process.env.BENCH_TRACE_HAPROXY === "1";

const cfg = {
  rate: envNumber("BENCH_RATE", 600),
  connections: Math.round(envNumber("BENCH_CONNECTIONS", 8)),
  durationS: envNumber("BENCH_DURATION_S", 22),
  switches: Math.round(envNumber("BENCH_SWITCHES", 10)),
  spacingMs: envNumber("BENCH_SPACING_MS", 1800),
  leadInMs: envNumber("BENCH_LEAD_IN_MS", 2000),
  probeRate: envNumber("BENCH_PROBE_RATE", 200),
};

const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const OUT_DIR = path.join(ROOT, "bench-results");
const RUN_DIR = path.join(OUT_DIR, `switch-${stamp}`);
const JSON_OUT = path.join(OUT_DIR, `switch-${stamp}.json`);
const LAB_DIR = path.resolve(process.env.LAB_DIR ?? path.join(ROOT, ".lab"));

const log = (msg: string) => console.log(`[bench] ${msg}`);
const ms = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${x.toFixed(1)} ms`);

type Operation = {
  id: number;
  status: string;
  error: string | null;
  startedAt: string | number;
  finishedAt: string | number | null;
  steps: { name: string; status: string; startedAt: string | number; finishedAt: string | number | null; detail: string | null }[];
};
type ReleaseView = { number: number; status: string; imageRef: string; imageDigest: string | null };
type Overview = {
  live: { release: ReleaseView; containers: { name: string; host: string; serverName: string; port: number }[] } | null;
  candidate: { release: ReleaseView; containers: { name: string; host: string; serverName: string; port: number }[] } | null;
  standby: { release: ReleaseView; containers: { name: string; host: string; serverName: string; port: number }[] } | null;
  releases: ReleaseView[];
};

const toMs = (v: string | number | null) => (v === null ? null : typeof v === "number" ? v : Date.parse(v));
const stepSummary = (op: Operation) =>
  op.steps.map((s) => ({
    name: s.name,
    status: s.status,
    ms: s.finishedAt === null ? null : toMs(s.finishedAt)! - toMs(s.startedAt)!,
    detail: s.detail,
  }));

function versionOf(lab: Lab, r: ReleaseView): string {
  const images = lab.images[SERVICE] ?? {};
  for (const [version, ref] of Object.entries(images)) {
    if (r.imageDigest && ref.endsWith(r.imageDigest)) return version;
  }
  const tag = /:([^:/@]+)$/.exec(r.imageRef)?.[1];
  return tag ?? `release ${r.number}`;
}

/** Samples as columns (times in ms from `origin`, 0.01 ms), small enough to keep every response. */
function columns(samples: Sample[], origin: number) {
  const t = (x: number) => Math.round((x - origin) * 100) / 100;
  const bodies = [...new Set(samples.map((s) => s.body ?? ""))];
  const servers = [...new Set(samples.map((s) => s.server ?? ""))];
  const errors = [...new Set(samples.map((s) => s.error ?? ""))];
  return {
    origin: "ms since the load started (loadStartEpochMs)",
    bodies,
    servers,
    errors,
    sched: samples.map((s) => t(s.sched)),
    sent: samples.map((s) => t(s.sent)),
    recv: samples.map((s) => t(s.recv)),
    status: samples.map((s) => s.status),
    body: samples.map((s) => bodies.indexOf(s.body ?? "")),
    server: samples.map((s) => servers.indexOf(s.server ?? "")),
    error: samples.map((s) => errors.indexOf(s.error ?? "")),
    slot: samples.map((s) => s.slot),
    sock: samples.map((s) => s.sock),
  };
}

async function preflight(lab: Lab, socket: string, clean: boolean) {
  const hosts = lab.hosts.map((h) => h.name);
  const containers = await serviceContainers(ROOT, hosts, SERVICE);
  const servers: { backend: string; name: string }[] = [];
  for (const b of BACKENDS) for (const s of await serversState(socket, b)) servers.push({ backend: b, name: s.name });
  if (!containers.length && !servers.length) return;
  const what = [
    ...servers.map((s) => `  HAProxy server ${s.backend}/${s.name}`),
    ...containers.map((c) => `  container ${c.name} on ${c.host} (${c.state}, created ${c.created})`),
  ].join("\n");
  if (!clean) {
    throw Object.assign(
      new Error(
        `${SERVICE} is already in use in this lab:\n${what}\n` +
          `Another dashboard (or a leftover of one) owns ${SERVICE}; a second dashboard would fight it over the HAProxy backend ` +
          `(each one's reconcile re-applies its own record) and over container names. Stop it, or re-run with BENCH_CLEAN=1 to remove these first.`,
      ),
      { exitCode: 2 },
    );
  }
  log(`BENCH_CLEAN=1: removing what ${SERVICE} had in the lab:\n${what}`);
  for (const b of BACKENDS) {
    const failed = await removeServers(
      socket,
      b,
      servers.filter((s) => s.backend === b).map((s) => s.name),
    );
    if (failed.length) throw new Error(failed.join("; "));
  }
  const failed = await removeContainers(ROOT, containers);
  if (failed.length) throw new Error(failed.join("; "));
}

async function main() {
  const wasUp = labIsUp(LAB_DIR);
  log(`lab ${wasUp ? "is up" : "is down: starting it"} (${LAB_DIR})`);
  await run("bash", ["scripts/lab/up.sh"], { quiet: true }).catch((err: Error) => {
    throw new Error(`scripts/lab/up.sh failed: ${err.message}`);
  });
  const lab = readLab(LAB_DIR);
  if (!lab) throw new Error(`${LAB_DIR}/lab.json missing after up.sh`);
  const socket = lab.haproxy.adminSocket;
  const frontend = lab.haproxy.frontends[SERVICE] ?? "http://127.0.0.1:18080";
  const versions = new Set(Object.keys(lab.images[SERVICE] ?? {}));

  const distDir = process.env.NEXT_DIST_DIR || ".next"; // next.config.mjs: distDir
  if (!fs.existsSync(path.join(ROOT, distDir, "BUILD_ID"))) {
    log(`${distDir}/BUILD_ID missing: npx next build`);
    await run("npx", ["next", "build"]);
  }

  let server: Server | null = null;
  let trace: ReturnType<typeof traceSocket> | null = null;
  let api: Api | null = null;
  const state = { releaseNumbers: new Set<number>() };
  const report: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    config: cfg,
    frontend,
    host: { cpus: os.cpus().length, node: process.version },
  };

  const cleanup = async () => {
    if (api) {
      const ov = await api.get<Overview>(`/api/services/${SERVICE}`).catch(() => null);
      ov?.json.releases?.forEach((r) => state.releaseNumbers.add(r.number));
    }
    if (server) {
      log(`stopping the dashboard (pid ${server.pid})`);
      await server.stop();
    }
    if (trace) {
      await trace.close();
      trace = null;
    }
    // What this run deployed: containers <service>-r<n>-<host>-<i>, servers r<n>-<host>-<i>, n = its release numbers.
    const mine = (name: string, prefix: string) => {
      const m = new RegExp(`^${prefix}r(\\d+)-`).exec(name);
      return Boolean(m && state.releaseNumbers.has(Number(m[1])));
    };
    const problems: string[] = [];
    for (const b of BACKENDS) {
      const names = (await serversState(socket, b).catch(() => [])).map((s) => s.name).filter((n) => mine(n, ""));
      problems.push(...(await removeServers(socket, b, names).catch((err: Error) => [err.message])));
    }
    const leftovers = (
      await serviceContainers(
        ROOT,
        lab.hosts.map((h) => h.name),
        SERVICE,
      ).catch(() => [])
    ).filter((c) => mine(c.name, `${SERVICE}-`));
    problems.push(...(await removeContainers(ROOT, leftovers)));
    if (begun)
      log(
        `clean-up: removed ${leftovers.length} container(s) and this run's HAProxy servers${problems.length ? `; problems: ${problems.join("; ")}` : ""}`,
      );
    if (!wasUp && process.env.KEEP_LAB !== "1") {
      log("the lab was down before: scripts/lab/down.sh");
      await run("bash", ["scripts/lab/down.sh"], { quiet: true }).catch((err: Error) => log(`down.sh: ${err.message}`));
    }
  };

  let begun = false;
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
    await preflight(lab, socket, process.env.BENCH_CLEAN === "1");
    begun = true;
    fs.mkdirSync(RUN_DIR, { recursive: true });

    // --- dashboard -------------------------------------------------------------------------
    const dataDir = path.join(RUN_DIR, "data");
    const password = `bench-${Math.random().toString(36).slice(2)}-pw`;
    if (TRACE) {
      trace = traceSocket(socket, path.join(RUN_DIR, "admin.sock"));
      await trace.listen();
      log(
        `BENCH_TRACE_HAPROXY=1: the dashboard talks to HAProxy through ${path.relative(ROOT, RUN_DIR)}/admin.sock (a recording pass-through)`,
      );
    }
    const env = {
      ...process.env,
      SWITCHYARD_DATA_DIR: dataDir,
      SWITCHYARD_ADMIN_USER: "admin",
      SWITCHYARD_ADMIN_PASSWORD: password,
      SWITCHYARD_HAPROXY_SOCKET: TRACE ? path.join(RUN_DIR, "admin.sock") : socket,
      LAB_DIR,
    };
    await run("node", ["--conditions=react-server", "--import", "tsx", "scripts/seedLab.ts"], { env, quiet: true });
    const port = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startServer(["next", "start", "-H", "127.0.0.1", "-p", String(port)], env, path.join(RUN_DIR, "next.log"));
    log(`dashboard ${base} (pid ${server.pid}, data ${path.relative(ROOT, dataDir)}, log ${path.relative(ROOT, RUN_DIR)}/next.log)`);
    api = new Api(base);
    await api.waitReady(90_000, () => server!.exited());
    await api.login("admin", password);

    // --- 1. deploys --------------------------------------------------------------------------
    const deploy = async (image: string) => {
      const r = await api!.post<{ operation: Operation }>(`/api/services/${SERVICE}/deploy?wait=true`, { image });
      const op = r.json.operation;
      if (r.status !== 200 || op?.status !== "succeeded")
        throw new Error(`deploy ${image}: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 400)}`);
      return { image, ms: r.t1 - r.t0, t0: r.t0, t1: r.t1, steps: stepSummary(op) };
    };
    const d1 = await deploy(FIRST);
    log(`deploy ${FIRST} (first release, goes live): ${ms(d1.ms)}`);
    const d2 = await deploy(SECOND);
    log(`deploy ${SECOND} (API call → candidate ready, image on the hosts): ${ms(d2.ms)}`);
    for (const s of d2.steps) log(`    ${String(s.ms ?? "—").padStart(6)} ms  ${s.name}`);
    report.deploys = [d1, d2];

    const overview = async () => {
      const r = await api!.get<Overview>(`/api/services/${SERVICE}`);
      if (r.status !== 200) throw new Error(`GET service: HTTP ${r.status}`);
      r.json.releases.forEach((x) => state.releaseNumbers.add(x.number));
      return r.json;
    };
    const ov = await overview();
    if (!ov.live || !ov.candidate)
      throw new Error(
        `expected a live and a candidate release, got live=${ov.live?.release.number} candidate=${ov.candidate?.release.number}`,
      );
    const versionByNumber = new Map(ov.releases.map((r) => [r.number, versionOf(lab, r)]));
    let live = ov.live.release.number;
    let candidate: number | null = ov.candidate.release.number;
    let standby: number | null = ov.standby?.release.number ?? null;
    log(`live: release ${live} (${versionByNumber.get(live)}), candidate: release ${candidate} (${versionByNumber.get(candidate)})`);

    // --- 2/3. load + switches ---------------------------------------------------------------
    const haproxyBefore = await haproxyIdentity(socket);
    const loadavgBefore = os.loadavg();
    const statsBefore = await statRows(socket, ["fe_demo_web", ...BACKENDS]);
    const watcher = watchBackends(socket, BACKENDS, 100);
    log(
      `load: ${cfg.rate} req/s over ${cfg.connections} keep-alive connections for ${cfg.durationS} s on ${frontend}/version; ` +
        `${cfg.switches} changes of the live release every ${cfg.spacingMs} ms from t=${cfg.leadInMs} ms`,
    );
    const load = startLoad({ url: `${frontend}/version`, rate: cfg.rate, connections: cfg.connections });
    const calls: SwitchCall[] = [];
    const switching = (async () => {
      for (let i = 0; i < cfg.switches; i++) {
        const planned = load.startedAt + cfg.leadInMs + i * cfg.spacingMs;
        await sleep(planned - now());
        const kind: "switch" | "rollback" = candidate !== null ? "switch" : "rollback";
        const target = kind === "switch" ? candidate : standby;
        if (target === null) throw new Error(`change ${i + 1}: neither a candidate nor a standby to go live`);
        const from = versionByNumber.get(live)!;
        const to = versionByNumber.get(target)!;
        const r = await api!.post<{ operationId: number; live: number; standby: number | null; ms: number }>(
          `/api/services/${SERVICE}/${kind}`,
          {},
        );
        calls.push({
          index: i + 1,
          kind,
          from,
          to,
          planned,
          callStart: r.t0,
          callEnd: r.t1,
          httpStatus: r.status,
          apiMs: typeof r.json.ms === "number" ? r.json.ms : null,
          response: r.json,
        });
        if (r.status === 200) {
          if (kind === "switch") candidate = null;
          live = r.json.live;
          standby = r.json.standby;
        } else {
          log(`change ${i + 1} (${kind}) answered HTTP ${r.status}: ${JSON.stringify(r.json).slice(0, 300)}`);
          const o = await overview();
          live = o.live?.release.number ?? live;
          candidate = o.candidate?.release.number ?? null;
          standby = o.standby?.release.number ?? null;
        }
      }
    })();
    await sleep(load.startedAt + cfg.durationS * 1000 - now());
    const switchingError = await switching.then(
      () => null,
      (err: Error) => err,
    );
    const lr: LoadResult = await load.stop();
    const statsAfter = await statRows(socket, ["fe_demo_web", ...BACKENDS]);
    if (switchingError) throw switchingError;
    if (calls.length < cfg.switches)
      log(`only ${calls.length} of ${cfg.switches} changes fitted in ${cfg.durationS} s (the API calls took longer than planned)`);

    // --- 4. deploy + switch, click → new version at the frontend ------------------------------
    const notLive = versionByNumber.get(live) === FIRST ? SECOND : FIRST;
    log(`deploy + switch: deploying ${notLive} and switching to it (probe ${cfg.probeRate} req/s on ${frontend}/version)`);
    const probe = startLoad({ url: `${frontend}/version`, rate: cfg.probeRate, connections: 4 });
    await sleep(500);
    const clickDeploy = await api.post<{ operation: Operation }>(`/api/services/${SERVICE}/deploy?wait=true`, { image: notLive });
    const clickOp = clickDeploy.json.operation;
    if (clickDeploy.status !== 200 || clickOp?.status !== "succeeded")
      throw new Error(`deploy ${notLive}: HTTP ${clickDeploy.status} ${JSON.stringify(clickDeploy.json).slice(0, 400)}`);
    const ov2 = await overview();
    const newRelease = ov2.candidate?.release.number;
    if (!newRelease) throw new Error("no candidate after the deploy");
    const clickSwitch = await api.post<{ ms: number; live: number }>(`/api/services/${SERVICE}/switch`, {});
    await sleep(1500);
    const pr = await probe.stop();
    const newPrefix = `r${newRelease}-`;
    const firstNew = pr.samples
      .filter((s) => s.server?.startsWith(newPrefix) && s.error === null)
      .reduce((m, s) => Math.min(m, s.recv), Infinity);
    const oldAfter = pr.samples
      .filter((s) => s.error === null && s.server !== null && !s.server.startsWith(newPrefix) && s.recv >= clickSwitch.t0)
      .reduce((m, s) => Math.max(m, s.recv), -Infinity);
    const probeSummary = summarizeLoad(pr.samples, pr.startedAt, pr.stoppedAt, versions);
    const deploySwitch = {
      version: notLive,
      release: newRelease,
      deployMs: clickDeploy.t1 - clickDeploy.t0,
      deploySteps: stepSummary(clickOp),
      gapMs: clickSwitch.t0 - clickDeploy.t1,
      switchCallMs: clickSwitch.t1 - clickSwitch.t0,
      switchHttpStatus: clickSwitch.status,
      switchApiMs: clickSwitch.json.ms ?? null,
      clickToSwitchDoneMs: clickSwitch.t1 - clickDeploy.t0,
      clickToFirstNewMs: Number.isFinite(firstNew) ? firstNew - clickDeploy.t0 : null,
      switchStartToFirstNewMs: Number.isFinite(firstNew) ? firstNew - clickSwitch.t0 : null,
      switchStartToLastOldMs: Number.isFinite(oldAfter) ? oldAfter - clickSwitch.t0 : null,
      probe: {
        total: probeSummary.total,
        failed: probeSummary.failed,
        non2xx: probeSummary.non2xx,
        socketErrors: probeSummary.socketErrorsByCode,
        achievedRps: probeSummary.achievedRps,
      },
      probeFailures: failureDetails(pr.samples, versions, pr.startedAt, 20),
    };
    const watched = await watcher.stop();
    const haproxyAfter = await haproxyIdentity(socket);
    const loadavgAfter = os.loadavg();
    const haproxyRestarted =
      !haproxyBefore || !haproxyAfter || haproxyBefore.pid !== haproxyAfter.pid || haproxyAfter.uptimeS < haproxyBefore.uptimeS;

    // --- 5. figures ------------------------------------------------------------------------
    const summary = summarizeLoad(lr.samples, lr.startedAt, lr.stoppedAt, versions);
    const figures: SwitchFigures[] = switchFigures(lr.samples, calls, lr.stoppedAt, lr.startedAt, versions);
    // With the trace: what the dashboard sent HAProxy during each call, relative to the call start.
    const traced = trace
      ? calls.map((c, i) => {
          const cmds = trace!.commands.filter((x) => x.t0 >= c.callStart && x.t0 <= c.callEnd).sort((x, y) => x.t0 - y.t0);
          const changes = cmds.filter((x) => !x.command.startsWith("show "));
          const gain = changes.find((x) => /^set server \S+ (weight [1-9]|state ready)/.test(x.command));
          const fNew = figures[i]!.firstNewMs;
          return {
            index: c.index,
            shows: cmds.length - changes.length,
            showsBeforeFirstChange: changes[0] ? cmds.filter((x) => x.command.startsWith("show ") && x.t0 < changes[0]!.t0).length : null,
            firstChangeSentMs: changes[0] ? changes[0].t0 - c.callStart : null,
            firstGainDoneMs: gain ? gain.t1 - c.callStart : null,
            firstNewAfterGainMs: gain && fNew !== null ? fNew - (gain.t1 - c.callStart) : null,
            lastChangeDoneMs: changes.length ? changes.at(-1)!.t1 - c.callStart : null,
            commands: cmds.map((x) => ({
              sentMs: round(x.t0 - c.callStart, 2),
              doneMs: round(x.t1 - c.callStart, 2),
              command: x.command,
              reply: x.reply.slice(0, 80),
            })),
          };
        })
      : null;
    const a = figures.map((f) => f.firstNewMs).filter((x): x is number => x !== null);
    const b = figures.map((f) => f.lastOldMs).filter((x): x is number => x !== null);
    const apiMs = figures.map((f) => f.apiMs).filter((x): x is number => x !== null);
    const callMs = figures.map((f) => f.callMs);
    const haproxyDiff = diffStats(statsBefore, statsAfter);

    // Anything in the backends that this run's dashboard did not create = another dashboard at work.
    const ours = (name: string) => {
      const m = /^r(\d+)-/.exec(name);
      return Boolean(m && state.releaseNumbers.has(Number(m[1])));
    };
    const foreign = watched.changes.flatMap((c: StateChange) =>
      c.servers.filter((s) => !ours(s.name)).map((s) => `${c.backend}/${s.name}`),
    );
    const noLiveServer = watched.changes.filter(
      (c) =>
        c.backend === "demo-web" &&
        c.t >= lr.startedAt &&
        c.t <= lr.stoppedAt &&
        !c.servers.some((s) => s.state === "ready" && s.weight > 0 && s.up),
    );

    // --- print -----------------------------------------------------------------------------
    const line = "-".repeat(100);
    console.log(`\n${line}\nSwitch benchmark — ${new Date().toISOString()}  (${os.cpus().length} CPUs, node ${process.version})\n${line}`);
    console.log(`deploy ${SECOND} (API call → candidate ready, image on hosts): ${ms(d2.ms)}`);
    console.log(
      `deploy ${notLive} + switch (click → new version live):  deploy ${ms(deploySwitch.deployMs)} + switch ${ms(deploySwitch.switchCallMs)} (API ms ${deploySwitch.switchApiMs}) = ${ms(deploySwitch.clickToSwitchDoneMs)} to the switch's answer; ` +
        `first response from the new release at the frontend ${ms(deploySwitch.clickToFirstNewMs)} after the click (${ms(deploySwitch.switchStartToFirstNewMs)} after the switch call)` +
        `; probe: ${deploySwitch.probe.total} requests, ${deploySwitch.probe.failed} failed`,
    );
    console.log(`\nload: ${cfg.rate} req/s target, ${cfg.connections} connections, ${summary.durationS.toFixed(1)} s`);
    console.log(" #  kind      from → to        API ms  call ms   (a) first new   (b) last old   last old sent   overlap  failed");
    for (const f of figures) {
      console.log(
        `${String(f.index).padStart(2)}  ${f.kind.padEnd(8)}  ${f.from} → ${f.to}  ${String(f.apiMs ?? "—").padStart(7)}  ${f.callMs.toFixed(1).padStart(7)}  ${ms(f.firstNewMs).padStart(14)}  ${ms(f.lastOldMs).padStart(13)}  ${ms(f.lastOldSentMs).padStart(14)}  ${String(f.overlap).padStart(7)}  ${String(f.failures).padStart(6)}${f.httpStatus !== 200 ? `  HTTP ${f.httpStatus}` : ""}`,
      );
    }
    if (traced) {
      console.log("HAProxy commands per change (BENCH_TRACE_HAPROXY): ms from the API call start");
      for (const t of traced) {
        console.log(
          `${String(t.index).padStart(2)}  ${t.shows} show(s), ${t.showsBeforeFirstChange ?? "—"} before the first change; first change sent ${ms(t.firstChangeSentMs)}, first weight/ready done ${ms(t.firstGainDoneMs)}, ` +
            `first new response ${ms(t.firstNewAfterGainMs)} after that, last change done ${ms(t.lastChangeDoneMs)}`,
        );
      }
    }
    console.log(
      `\nrequests: ${summary.total} in ${summary.durationS.toFixed(2)} s = ${summary.achievedRps.toFixed(1)} req/s achieved (${lr.scheduled} scheduled, ${lr.unsent} unsent at stop, max queue ${lr.maxQueue})`,
    );
    console.log(
      `  2xx ${summary.ok2xx}, non-2xx ${summary.non2xx} ${JSON.stringify(summary.non2xxByStatus)}, socket errors ${summary.socketErrors} ${JSON.stringify(summary.socketErrorsByCode)}, unexpected bodies ${summary.unexpectedBodies}`,
    );
    const perSlot = lr.connectionsOpened.map((_, i) => lr.samples.filter((x) => x.slot === i).length);
    console.log(
      `  by version ${JSON.stringify(summary.byVersion)}; requests per connection slot ${JSON.stringify(perSlot)}; TCP connections opened per slot ${JSON.stringify(lr.connectionsOpened)}`,
    );
    console.log(
      `  latency (sent → received): p50 ${ms(summary.latencyMs.p50)}, p90 ${ms(summary.latencyMs.p90)}, p99 ${ms(summary.latencyMs.p99)}, max ${ms(summary.latencyMs.max)}; from schedule p99 ${ms(summary.latencyFromScheduleMs.p99)}`,
    );
    console.log(`over ${figures.length} changes of the live release:`);
    console.log(
      `  (a) API call start → first response from the new version: median ${ms(median(a))}, max ${ms(max(a))}${a.length < figures.length ? ` (never seen in ${figures.length - a.length})` : ""}`,
    );
    console.log(`  (b) API call start → last response from the old version:  median ${ms(median(b))}, max ${ms(max(b))}`);
    console.log(
      `  API's own ms: median ${median(apiMs)}, max ${max(apiMs)}; API call round trip: median ${ms(median(callMs))}, max ${ms(max(callMs))}`,
    );
    console.log(
      `HAProxy counters during the load (fe_demo_web, demo-web): ${JSON.stringify({ fe: haproxyDiff["fe_demo_web/FRONTEND"] ?? {}, be: haproxyDiff["demo-web/BACKEND"] ?? {} })}`,
    );
    if (foreign.length)
      console.log(
        `WARNING: servers this run did not create showed up in the backends: ${[...new Set(foreign)].join(", ")} — another dashboard is using ${SERVICE}; figures are not trustworthy`,
      );
    if (haproxyRestarted)
      console.log(
        `WARNING: HAProxy restarted (or stopped answering) during the run: ${JSON.stringify({ before: haproxyBefore, after: haproxyAfter })}`,
      );
    if (watched.errors) console.log(`WARNING: ${watched.errors} HAProxy admin-socket poll(s) failed during the run`);
    console.log(
      `machine load average (1 min) before/after: ${loadavgBefore[0]!.toFixed(2)} / ${loadavgAfter[0]!.toFixed(2)} on ${os.cpus().length} CPUs`,
    );
    if (noLiveServer.length) {
      const at = noLiveServer.map(
        (c) =>
          `t=${((c.t - lr.startedAt) / 1000).toFixed(2)} s ${JSON.stringify(c.servers.map((x) => `${x.name}:${x.state}/${x.weight}`))}`,
      );
      console.log(
        `WARNING: demo-web had no ready server with weight > 0 during the load (snapshots every 100 ms): ${at.join("; ")}. The dashboard never plans that for a service with a live release: something else changed the backend (another dashboard's reconcile with ${SERVICE} in its record, an HAProxy restart, …)`,
      );
    }

    const failed = summary.failed;
    const maxA = max(a);
    const reasons: string[] = [];
    if (failed > 0) reasons.push(`${failed} failed request(s) (target 0)`);
    if (maxA === null || a.length < figures.length) reasons.push("a switch never became visible");
    else if (maxA >= TARGET_SWITCH_VISIBLE_MS)
      reasons.push(`switch visible in up to ${maxA.toFixed(1)} ms (target < ${TARGET_SWITCH_VISIBLE_MS} ms)`);
    if (calls.some((c) => c.httpStatus !== 200)) reasons.push("a switch/rollback call failed");
    if (calls.length < cfg.switches) reasons.push(`${calls.length}/${cfg.switches} changes made`);
    if (summary.achievedRps < 500) reasons.push(`load ${summary.achievedRps.toFixed(0)} req/s < 500 (not a valid run)`);
    if (summary.durationS < 20) reasons.push(`load ${summary.durationS.toFixed(1)} s < 20 s (not a valid run)`);
    if (foreign.length) reasons.push("another dashboard touched the backend (not a valid run)");
    if (haproxyRestarted) reasons.push("HAProxy restarted during the run (not a valid run)");
    if (noLiveServer.length) reasons.push("demo-web was left without a live server by something else (not a valid run)");
    if (deploySwitch.probe.failed > 0) reasons.push(`${deploySwitch.probe.failed} failed request(s) during deploy + switch`);
    const verdict = reasons.length
      ? `FAIL — ${reasons.join("; ")}`
      : `PASS — 0 failed requests of ${summary.total}; switch visible in ≤ ${maxA!.toFixed(1)} ms (target < ${TARGET_SWITCH_VISIBLE_MS} ms)`;
    console.log(`\nRESULT: ${verdict}`);
    if (reasons.length) process.exitCode = 1;

    const origin = lr.startedAt;
    const rel = (t: number) => Math.round((t - origin) * 100) / 100;
    Object.assign(report, {
      verdict,
      passed: reasons.length === 0,
      loadStartEpochMs: epochOf(origin),
      summary,
      load: {
        scheduled: lr.scheduled,
        unsent: lr.unsent,
        maxQueue: lr.maxQueue,
        connectionsOpened: lr.connectionsOpened,
        connectionsClosed: lr.connectionsClosed,
      },
      switches: {
        calls: calls.map((c) => ({ ...c, planned: rel(c.planned), callStart: rel(c.callStart), callEnd: rel(c.callEnd) })),
        figures: figures.map((f) => ({
          ...f,
          firstNewMs: round(f.firstNewMs, 2),
          lastOldMs: round(f.lastOldMs, 2),
          lastOldSentMs: round(f.lastOldSentMs, 2),
          callMs: round(f.callMs, 2),
        })),
        firstNewMs: { median: round(median(a), 2), max: round(max(a), 2) },
        lastOldMs: { median: round(median(b), 2), max: round(max(b), 2) },
        apiMs: { median: median(apiMs), max: max(apiMs) },
      },
      deploySwitch,
      haproxyTrace: traced,
      haproxyTraceAll: trace
        ? trace.commands.map((x) => ({ t0: rel(x.t0), t1: rel(x.t1), command: x.command, reply: x.reply.slice(0, 120) }))
        : null,
      failures: failureDetails(lr.samples, versions, origin, 200),
      machine: { loadavgBefore, loadavgAfter },
      haproxy: {
        before: haproxyBefore,
        after: haproxyAfter,
        restarted: haproxyRestarted,
        counters: haproxyDiff,
        timeline: watched.changes.map((c) => ({ ...c, t: rel(c.t) })),
        pollErrors: watched.errors,
        foreign: [...new Set(foreign)],
      },
      samples: columns(lr.samples, origin),
    });
  } catch (err) {
    report.error = errorMessage(err);
    throw err;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    if (!interrupted) {
      await cleanup().catch((err: Error) => log(`clean-up failed: ${err.message}`));
      if (begun) {
        fs.writeFileSync(JSON_OUT, JSON.stringify(report));
        log(`raw figures: ${path.relative(ROOT, JSON_OUT)}`);
      }
    }
  }
}

main().catch((err: Error & { exitCode?: number }) => {
  console.error(`[bench] ${err.message}`);
  console.log("\nRESULT: FAIL — the benchmark did not complete");
  process.exit(err.exitCode ?? 1);
});
