/**
 * Canary benchmark: does a rollout give the candidate exactly its share, with
 * no failed request, and does the analysis gate stop a failing candidate fast?
 *
 *   npm run bench:canary            (= tsx scripts/bench/canary.ts; needs root, like the lab)
 *
 * 1. uses the lab (scripts/lab/up.sh only when it is down or lacks demo-flaky),
 *    builds the app only if <dist>/BUILD_ID is missing, seeds a fresh data dir
 *    under bench-results/ and starts its own dashboard (`npx next start`);
 * 2. gives demo-web (the lab's hand-made backend demo-web, frontend :18080) a
 *    rollout plan: 10 → 50 → 100 %, BENCH_STEP_S seconds each; gate 5xx ≤ 5 %,
 *    response ≤ 500 ms over 10 s, at least 50 candidate requests;
 * 3. (a) deploys 1.0.0 (live) and 1.1.0 (candidate) and, under BENCH_RATE
 *    req/s, runs the rollout to its Switch: every request must succeed and the
 *    candidate's measured share of each step (requests sent between the step's
 *    weights taking effect and the next step starting, counted by the
 *    X-Switchyard-Server header) must be within ±2 points of the target over
 *    at least 5,000 requests;
 * 4. (b) deploys demo-flaky 1.0.0 (nginx answering 500 to ~20 % of requests)
 *    as the candidate and starts the same rollout under the same load: the gate
 *    must abort it within 5 s of its first breaching sample. The failed
 *    requests are counted and compared with share × error rate × rate × time
 *    the candidate had traffic;
 * 5. prints every figure and PASS/FAIL, writes bench-results/canary-<ts>.json,
 *    stops its dashboard by pid and removes what it deployed.
 *
 * Refuses to start when demo-web has servers or containers already (another
 * dashboard owns it); BENCH_CLEAN=1 removes them first.
 * Knobs (env): BENCH_RATE=600 BENCH_CONNECTIONS=8 BENCH_STEP_S=12 BENCH_PORT=<free>.
 * Exit status: 0 PASS, 1 FAIL (or error), 2 refused (demo-web in use).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Api } from "./lib/api";
import { isOk } from "./lib/analyze";
import { epochOf, round, sleep } from "./lib/clock";
import { serversState } from "./lib/haproxy";
import { labIsUp, readLab, removeContainers, removeServers, serviceContainers, type Lab } from "./lib/lab";
import { startLoad, type Sample } from "./lib/loadGen";
import { run, startServer, type Server } from "./lib/proc";
import { envNumber, freePort } from "./lib/env";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
process.chdir(ROOT);

const SERVICE = "demo-web";
const BACKENDS = ["demo-web", "demo-web-preview"];
const SHARE_TOLERANCE_POINTS = 2;
const MIN_REQUESTS_PER_STEP = 5000;
const ABORT_WITHIN_MS = 5000;
const FLAKY_ERROR_RATE = 0.2;

const cfg = {
  rate: envNumber("BENCH_RATE", 600),
  connections: Math.round(envNumber("BENCH_CONNECTIONS", 8)),
  stepS: Math.round(envNumber("BENCH_STEP_S", 12)),
};
const PLAN = {
  steps: [10, 50, 100].map((weight) => ({ weight, pauseS: cfg.stepS })),
  analysis: { max5xxRatio: 0.05, maxResponseMs: 500, windowS: 10, minRequests: 50 },
};

const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const OUT_DIR = path.join(ROOT, "bench-results");
const RUN_DIR = path.join(OUT_DIR, `canary-${stamp}`);
const JSON_OUT = path.join(OUT_DIR, `canary-${stamp}.json`);
const LAB_DIR = path.resolve(process.env.LAB_DIR ?? path.join(ROOT, ".lab"));

const log = (msg: string) => console.log(`[bench] ${msg}`);

type Step = { name: string; status: string; startedAt: string; finishedAt: string | null; detail: string | null };
type Operation = { id: number; status: string; error: string | null; steps: Step[] };
type Side = { release: { number: number; status: string }; containers: { serverName: string }[] } | null;
type Overview = { live: Side; candidate: Side; releases: { number: number }[]; service: { spec: Record<string, unknown> } };
type Measurement = {
  at: number;
  step: number;
  verdict: string;
  detail: string | null;
  candidate: { requests: number; errors5xx: number; ratio5xx: number | null; responseMs: number | null };
};
type RolloutReply = {
  rollout: { id: number; operationId: number; status: string; reason: string | null; stepIndex: number } | null;
  measurements: Measurement[];
};

const ms = (t: string | null) => (t === null ? null : Date.parse(t));

async function main() {
  const before = readLab(LAB_DIR);
  if (!labIsUp(LAB_DIR) || !before?.images["demo-flaky"]) {
    log("lab down or without demo-flaky: scripts/lab/up.sh");
    await run("bash", ["scripts/lab/up.sh"], { quiet: true });
  }
  const lab: Lab | null = readLab(LAB_DIR);
  if (!lab?.images["demo-flaky"]?.["1.0.0"]) throw new Error(`${LAB_DIR}/lab.json has no demo-flaky 1.0.0 (scripts/lab/flaky.sh)`);
  const socket = lab.haproxy.adminSocket;
  const frontend = lab.haproxy.frontends[SERVICE] ?? "http://127.0.0.1:18080";
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!fs.existsSync(path.join(ROOT, distDir, "BUILD_ID"))) {
    log(`${distDir}/BUILD_ID missing: npx next build`);
    await run("npx", ["next", "build"]);
  }

  // Refuse to fight another dashboard over demo-web (see scripts/bench/switch.ts).
  const hosts = lab.hosts.map((h) => h.name);
  const owned = await serviceContainers(ROOT, hosts, SERVICE);
  const servers: { backend: string; name: string }[] = [];
  for (const b of BACKENDS) for (const s of await serversState(socket, b)) servers.push({ backend: b, name: s.name });
  if (owned.length || servers.length) {
    if (process.env.BENCH_CLEAN !== "1") {
      console.error(
        `[bench] ${SERVICE} is in use (${servers.length} HAProxy servers, ${owned.length} containers); BENCH_CLEAN=1 removes them`,
      );
      process.exit(2);
    }
    for (const b of BACKENDS)
      await removeServers(
        socket,
        b,
        servers.filter((s) => s.backend === b).map((s) => s.name),
      );
    await removeContainers(ROOT, owned);
  }

  fs.mkdirSync(RUN_DIR, { recursive: true });
  const dataDir = path.join(RUN_DIR, "data");
  const password = `bench-${Math.random().toString(36).slice(2)}-pw`;
  const env = {
    ...process.env,
    SWITCHYARD_DATA_DIR: dataDir,
    SWITCHYARD_ADMIN_USER: "admin",
    SWITCHYARD_ADMIN_PASSWORD: password,
    SWITCHYARD_HAPROXY_SOCKET: socket,
    LAB_DIR,
  };
  await run("node", ["--conditions=react-server", "--import", "tsx", "scripts/seedLab.ts"], { env, quiet: true });
  const port = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : await freePort();
  const base = `http://127.0.0.1:${port}`;
  let server: Server | null = startServer(["next", "start", "-H", "127.0.0.1", "-p", String(port)], env, path.join(RUN_DIR, "next.log"));
  log(`dashboard ${base} (pid ${server.pid}, log ${path.relative(ROOT, RUN_DIR)}/next.log)`);
  const api = new Api(base);
  const releaseNumbers = new Set<number>();
  const report: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    config: cfg,
    plan: PLAN,
    frontend,
    cpus: os.cpus().length,
  };

  const cleanup = async () => {
    const ov = await api.get<Overview>(`/api/services/${SERVICE}`).catch(() => null);
    ov?.json.releases?.forEach((r) => releaseNumbers.add(r.number));
    if (server) {
      log(`stopping the dashboard (pid ${server.pid})`);
      await server.stop();
      server = null;
    }
    const mine = (name: string, prefix: string) => {
      const m = new RegExp(`^${prefix}r(\\d+)-`).exec(name);
      return Boolean(m && releaseNumbers.has(Number(m[1])));
    };
    for (const b of BACKENDS) {
      const names = (await serversState(socket, b).catch(() => [])).map((s) => s.name).filter((n) => mine(n, ""));
      await removeServers(socket, b, names).catch(() => undefined);
    }
    const left = (await serviceContainers(ROOT, hosts, SERVICE).catch(() => [])).filter((c) => mine(c.name, `${SERVICE}-`));
    await removeContainers(ROOT, left);
    log(`clean-up: removed ${left.length} container(s) and this run's HAProxy servers`);
  };
  process.once("SIGINT", () => void cleanup().finally(() => process.exit(130)));

  try {
    await api.waitReady(90_000, () => server!.exited());
    await api.login("admin", password);
    const overview = async () => {
      const r = await api.get<Overview>(`/api/services/${SERVICE}`);
      if (r.status !== 200) throw new Error(`GET service: HTTP ${r.status}`);
      r.json.releases.forEach((x) => releaseNumbers.add(x.number));
      return r.json;
    };
    const spec = (await overview()).service.spec;
    const put = await api.put(`/api/services/${SERVICE}`, { ...spec, tmpfs: [{ target: "/tmp", sizeMb: 16 }], rollout: PLAN });
    if (put.status !== 200) throw new Error(`PUT spec with the rollout plan: HTTP ${put.status} ${JSON.stringify(put.json).slice(0, 400)}`);
    const deploy = async (image: string) => {
      const r = await api.post<{ operation: Operation }>(`/api/services/${SERVICE}/deploy?wait=true`, { image });
      if (r.status !== 200 || r.json.operation?.status !== "succeeded")
        throw new Error(`deploy ${image}: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 400)}`);
      log(`deploy ${image}: ${Math.round(r.t1 - r.t0)} ms`);
    };
    const rolloutView = async () => (await api.get<RolloutReply>(`/api/services/${SERVICE}/rollout`)).json;
    const operation = async (id: number) => (await api.get<{ operation: Operation }>(`/api/operations/${id}`)).json.operation;
    const waitRolloutEnd = async (limitMs: number) => {
      const deadline = Date.now() + limitMs;
      for (;;) {
        const v = await rolloutView();
        if (v.rollout && v.rollout.status !== "running") return v;
        if (Date.now() > deadline) throw new Error(`rollout still ${v.rollout?.status} after ${limitMs} ms: ${JSON.stringify(v.rollout)}`);
        await sleep(250);
      }
    };
    const startRollout = async () => {
      const r = await api.post<{ operationId: number }>(`/api/services/${SERVICE}/rollout`, {});
      if (r.status !== 202) throw new Error(`start rollout: HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 400)}`);
      return r.json.operationId;
    };

    // --- (a) healthy candidate: 10 → 50 → 100 → Switch ---------------------------------------
    await deploy("1.0.0");
    await deploy("1.1.0");
    let ov = await overview();
    const candA = new Set(ov.candidate!.containers.map((c) => c.serverName));
    log(
      `(a) load ${cfg.rate} req/s over ${cfg.connections} connections on ${frontend}/version; rollout ${PLAN.steps.map((s) => `${s.weight} %`).join(" → ")}, ${cfg.stepS} s each`,
    );
    const loadA = startLoad({ url: `${frontend}/version`, rate: cfg.rate, connections: cfg.connections });
    await sleep(1500);
    const opA = await startRollout();
    const endA = await waitRolloutEnd(PLAN.steps.length * (cfg.stepS + 15) * 1000);
    await sleep(1500);
    const la = await loadA.stop();
    const stepsA = (await operation(opA)).steps;
    const failedA = la.samples.filter((s) => !isOk(s));
    const at = (s: Sample) => epochOf(s.sent);
    // A step's window: from its weights being applied (its operation step finished) to the next step (or the Switch) starting.
    const stepRows = stepsA.filter((s) => /^step \d+\/\d+/.test(s.name));
    // (shiftTraffic's own steps, record and apply, are recorded inside each step: the next boundary is the next step or the promotion.)
    const boundaries = stepsA.filter((s) => /^(step \d+\/\d+|promote:)/.test(s.name));
    const nextStart = (i: number) => ms(boundaries[boundaries.indexOf(stepRows[i]!) + 1]?.startedAt ?? null) ?? Infinity;
    const shares = PLAN.steps.map((p, i) => {
      const row = stepRows[i];
      const from = ms(row?.finishedAt ?? null) ?? Infinity;
      const to = nextStart(i);
      const inStep = la.samples.filter((s) => isOk(s) && at(s) >= from && at(s) < to);
      const cand = inStep.filter((s) => s.server !== null && candA.has(s.server)).length;
      const measured = inStep.length ? (cand / inStep.length) * 100 : NaN;
      const ok = inStep.length >= MIN_REQUESTS_PER_STEP && Math.abs(measured - p.weight) <= SHARE_TOLERANCE_POINTS;
      return {
        target: p.weight,
        requests: inStep.length,
        candidate: cand,
        measuredPercent: round(measured, 2),
        windowS: round((to - from) / 1000, 1),
        ok,
      };
    });
    ov = await overview();
    const promoted = endA.rollout?.status === "promoted" && ov.live?.release.number === Math.max(...releaseNumbers);
    const passA = failedA.length === 0 && shares.every((s) => s.ok) && promoted;
    report.a = {
      requests: la.samples.length,
      failed: failedA.length,
      failures: failedA.slice(0, 20),
      shares,
      rollout: endA.rollout,
      steps: stepsA,
      pass: passA,
    };

    // --- (b) 20 %-failing candidate: aborted by the gate ---------------------------------------
    await deploy(lab.images["demo-flaky"]["1.0.0"].replace(/@sha256:.*/, ":1.0.0"));
    ov = await overview();
    const candB = new Set(ov.candidate!.containers.map((c) => c.serverName));
    log(`(b) load ${cfg.rate} req/s; rollout of demo-flaky (fails ~${FLAKY_ERROR_RATE * 100} %)`);
    const loadB = startLoad({ url: `${frontend}/version`, rate: cfg.rate, connections: cfg.connections });
    await sleep(1500);
    const opB = await startRollout();
    const endB = await waitRolloutEnd(60_000);
    await sleep(3000);
    const lb = await loadB.stop();
    const stepsB = (await operation(opB)).steps;
    const fromCand = lb.samples.filter((s) => s.server !== null && candB.has(s.server));
    const failedB = lb.samples.filter((s) => !isOk(s));
    const failedLive = failedB.filter((s) => !(s.server !== null && candB.has(s.server)));
    const firstBreach = endB.measurements.find((m) => m.verdict === "breach");
    const lastCandSent = fromCand.length ? Math.max(...fromCand.map(at)) : NaN;
    const firstCandSent = fromCand.length ? Math.min(...fromCand.map(at)) : NaN;
    const abortStep = stepsB.find((s) => s.name.startsWith("abort:"));
    const toAbortMs = firstBreach ? lastCandSent - firstBreach.at : NaN;
    const serverToAbortMs = firstBreach && abortStep?.finishedAt ? ms(abortStep.finishedAt)! - firstBreach.at : NaN;
    const exposureS = (lastCandSent - firstCandSent) / 1000;
    const share = PLAN.steps[0]!.weight / 100;
    const bound = share * FLAKY_ERROR_RATE * cfg.rate * exposureS;
    const errorRateSeen = fromCand.length ? fromCand.filter((s) => s.status >= 500).length / fromCand.length : NaN;
    const passB =
      endB.rollout?.status === "aborted" &&
      Boolean(firstBreach) &&
      toAbortMs <= ABORT_WITHIN_MS &&
      failedLive.length === 0 &&
      failedB.length <= bound * 1.5 + 10;
    report.b = {
      requests: lb.samples.length,
      failed: failedB.length,
      failedFromLive: failedLive.length,
      candidateRequests: fromCand.length,
      candidateErrorRate: errorRateSeen,
      firstBreach,
      lastCandidateRequestSentAt: lastCandSent,
      clientTimeToAbortMs: toAbortMs,
      serverTimeToAbortMs: serverToAbortMs,
      exposureS,
      bound,
      rollout: endB.rollout,
      steps: stepsB,
      pass: passB,
    };

    // --- figures ----------------------------------------------------------------------------
    console.log("");
    console.log(
      `(a) healthy candidate 1.1.0: ${la.samples.length} requests, ${failedA.length} failed (target 0); rollout ${endA.rollout?.status}`,
    );
    for (const s of shares)
      console.log(
        `    step ${String(s.target).padStart(3)} %: measured ${String(s.measuredPercent).padStart(6)} % over ${s.requests} requests in ${s.windowS} s (target ±${SHARE_TOLERANCE_POINTS} points, ≥ ${MIN_REQUESTS_PER_STEP} requests) ${s.ok ? "ok" : "OUT"}`,
      );
    console.log(`    ${passA ? "PASS" : "FAIL"}`);
    console.log(`(b) demo-flaky at ${PLAN.steps[0]!.weight} %: rollout ${endB.rollout?.status}: ${endB.rollout?.reason ?? ""}`);
    console.log(
      `    first breaching sample: ${firstBreach ? `${new Date(firstBreach.at).toISOString()} (${firstBreach.candidate.requests} candidate requests, 5xx ${round((firstBreach.candidate.ratio5xx ?? 0) * 100, 2)} %)` : "none"}`,
    );
    console.log(
      `    time to abort after the first breach: ${round(toAbortMs, 0)} ms at the client (last request the candidate got), ${round(serverToAbortMs, 0)} ms in the record (target ≤ ${ABORT_WITHIN_MS} ms)`,
    );
    console.log(
      `    failed requests: ${failedB.length} of ${lb.samples.length} (${failedLive.length} from the live side); candidate got ${fromCand.length} requests over ${round(exposureS, 1)} s, ${round(errorRateSeen * 100, 1)} % of them 5xx`,
    );
    console.log(
      `    bound share × error rate × rate × time = ${share} × ${FLAKY_ERROR_RATE} × ${cfg.rate} × ${round(exposureS, 2)} s = ${round(bound, 1)} (pass ≤ 1.5 × bound + 10)`,
    );
    console.log(`    ${passB ? "PASS" : "FAIL"}`);
    const pass = passA && passB;
    console.log(pass ? "PASS" : "FAIL");
    report.pass = pass;
    fs.writeFileSync(JSON_OUT, JSON.stringify(report, null, 2));
    log(`figures in ${path.relative(ROOT, JSON_OUT)}`);
    await cleanup();
    process.exit(pass ? 0 : 1);
  } catch (err) {
    console.error(`[bench] ${err instanceof Error ? err.message : String(err)}`);
    fs.writeFileSync(JSON_OUT, JSON.stringify({ ...report, error: String(err) }, null, 2));
    await cleanup();
    process.exit(1);
  }
}

void main();
