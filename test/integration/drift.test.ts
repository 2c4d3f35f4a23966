/**
 * The drift report against the real lab, no mocks: a service `drift-web` on
 * alpha (unix socket) and beta (TCP+TLS) behind the lab HAProxy's `drift-web`
 * (:18094) and `drift-web-preview` backends, a file written into a container
 * with `docker exec`, a container started by hand, ignore rules, baseline,
 * Replace drifted containers under traffic, the HTTP API (4xx included), and
 * a hung engine that must not hold up the others. The tests build on each other.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lab, labDocker, system, useTempDataDir } from "./lab";
import { failuresOf, removeContainersNamed, requestLoops, sample, type Engine } from "./releaseLab";

const dataDir = useTempDataDir("drift");

const { db } = await import("@/db/client");
const { events } = await import("@/db/schema");
const { addLabHosts, clearService, person, serviceSpec } = await import("./fixtures");
const { createHost } = await import("@/server/hosts/createHost");
const { deleteHost } = await import("@/server/hosts/deleteHost");
const { hostRowByName } = await import("@/server/hosts/hostRegistry");
const { createService } = await import("@/server/services/saveService");
const { deployRelease } = await import("@/server/releases/deployRelease");
const { startScan } = await import("@/server/drift/runScan");
const { scanRow } = await import("@/server/drift/scanRows");
const { fleetReport } = await import("@/server/drift/driftReport");
const { containerDetail, containerChanges } = await import("@/server/drift/containerDetail");
const { deleteIgnoreRule } = await import("@/server/drift/ignoreRuleChanges");
const { baselineContainer } = await import("@/server/drift/baselineContainer");
const { replaceDrifted } = await import("@/server/drift/replaceDrifted");
const driftRoute = await import("@/app/api/drift/route");
const hostRoute = await import("@/app/api/drift/hosts/[host]/route");
const containerRoute = await import("@/app/api/drift/hosts/[host]/containers/[container]/route");
const changesRoute = await import("@/app/api/drift/hosts/[host]/containers/[container]/changes/route");
const fileRoute = await import("@/app/api/drift/hosts/[host]/containers/[container]/file/route");
const baselineRoute = await import("@/app/api/drift/hosts/[host]/containers/[container]/baseline/route");
const rulesRoute = await import("@/app/api/drift/ignore-rules/route");
const replaceRoute = await import("@/app/api/drift/services/[name]/replace/route");
const scansRoute = await import("@/app/api/drift/scans/route");
const { eventRows } = await import("@/server/releaseLog/eventRows");

const L = lab();
const SERVICE = "drift-web";
const FRONT = L.haproxy.frontends["drift-web"]!;
const SOCKET = L.haproxy.adminSocket;
const MANUAL = `drift-manual-${process.pid}`;
const FILE = `/www/drift-${process.pid}.txt`;
const SECRET = `it-secret-${process.pid}-value`;

const token = person("drift-admin", "admin").token;
const viewerToken = person("drift-viewer", "viewer").token;

function call(url: string, method = "GET", body?: unknown, bearer = token) {
  return new NextRequest(`http://localhost${url}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
const json = async (res: Response) => ({
  status: res.status,
  body: (await res.json()) as Record<string, unknown> & { error?: { message: string } },
});

async function scan() {
  const { scan, done } = startScan("manual", system);
  await done;
  expect(scanRow(scan.id)).toMatchObject({ status: "done", error: null });
  return scan.id;
}

/** The drift-web containers in the report, by host. */
function mine() {
  return fleetReport().hosts.flatMap((h) =>
    h.containers.filter((c) => c.service === SERVICE).map((c) => ({ ...c, host: h.host as Engine })),
  );
}

async function liveContainer(engine: Engine) {
  const list = await labDocker(engine).listContainers({ filters: { label: [`io.switchyard.service=${SERVICE}`] } });
  const c = list.sort((a, b) => b.Created - a.Created)[0];
  if (!c) throw new Error(`no ${SERVICE} container on ${engine}`);
  return { id: c.Id, name: c.Names[0]!.replace(/^\//, "") };
}

async function exec(engine: Engine, id: string, cmd: string[]) {
  const e = await labDocker(engine).getContainer(id).exec({ Cmd: cmd, User: "0", AttachStdout: true, AttachStderr: true });
  const stream = await e.start({});
  await new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
    stream.resume();
  });
  const info = await e.inspect();
  if (info.ExitCode !== 0) throw new Error(`${cmd.join(" ")} exited ${info.ExitCode}`);
}

async function cleanUp() {
  await removeContainersNamed(MANUAL);
  await clearService(SERVICE, SOCKET);
}

let blackHole: net.Server | undefined;

beforeAll(async () => {
  await cleanUp();
  addLabHosts("alpha", "beta");
  createService(
    system,
    serviceSpec(SERVICE, {
      env: [
        { name: "GREETING", value: "drift test", secret: false },
        { name: "API_KEY", value: SECRET, secret: true },
      ],
      // The demo image writes nothing; this lets `docker exec` write into it as root.
      readOnlyRootFs: false,
    }),
  );
  const { operationId, done } = deployRelease(system, SERVICE, "deploy", { image: "1.0.0" });
  await done;
  expect(operationId).toBeGreaterThan(0);
  // A container started by hand, claiming to be ours by its labels.
  const beta = labDocker("beta");
  const ref = L.images["demo-web"]!["1.0.0"]!;
  const manual = await beta.createContainer({
    name: MANUAL,
    Image: ref,
    Labels: { "io.switchyard.service": SERVICE, "io.switchyard.release": "1" },
    HostConfig: { NetworkMode: "none" },
  });
  await manual.start();
});

afterAll(async () => {
  blackHole?.close();
  await cleanUp().catch((err) => console.error("[drift] clean-up failed:", err));
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("drift report against the real lab", () => {
  it("scans a fresh release clean on both hosts; a container started by hand is unaccounted; secrets never appear", async () => {
    expect((await sample(FRONT, 4)).versions).toEqual(new Set(["1.0.0"]));
    await scan();
    const ours = mine();
    expect(ours.map((c) => `${c.host}:${c.verdict}`).sort()).toEqual(["alpha:clean", "beta:clean"]);
    expect(ours.every((c) => c.counts.config === 0 && c.counts.image === 0 && c.counts.changes === 0)).toBe(true);

    const report = fleetReport();
    const manual = report.hosts.find((h) => h.host === "beta")!.containers.find((c) => c.name === MANUAL);
    expect(manual).toMatchObject({
      verdict: "unaccounted",
      service: null,
      note: expect.stringContaining(`labelled as ${SERVICE} release 1`),
    });
    expect(report.hosts.find((h) => h.host === "alpha")!.containers.some((c) => c.name === MANUAL)).toBe(false);
    expect(report.hostDrift.compared).toBe(2);
    expect(report.hostDrift.fields.map((f) => f.key)).toEqual([
      "engineVersion",
      "apiVersion",
      "os",
      "kernel",
      "storageDriver",
      "cgroupDriver",
    ]);

    const alpha = await liveContainer("alpha");
    const detail = containerDetail("alpha", alpha.name);
    expect(detail.container.verdict).toBe("clean");
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(JSON.stringify(detail)).not.toContain(SECRET);
  });

  it("a file written with docker exec: the next scan shows that container drifted, the file added, on the right host", async () => {
    const alpha = await liveContainer("alpha");
    await exec("alpha", alpha.id, ["sh", "-c", `echo drifted-${process.pid} > ${FILE}`]);
    await scan();
    const ours = mine();
    expect(ours.find((c) => c.host === "alpha")).toMatchObject({
      name: alpha.name,
      verdict: "drifted",
      counts: { changes: 1, changesEffective: 1, changesIgnored: 0 },
      new: 1,
    });
    expect(ours.find((c) => c.host === "beta")?.verdict).toBe("clean");
    const page = containerChanges("alpha", alpha.name, { page: 1, pageSize: 50, ignored: "include" });
    expect(page.items).toEqual([{ kind: "added", path: FILE, dir: "/www", ignoredBy: null, downloadable: true }]);
    expect(containerDetail("alpha", alpha.id.slice(0, 12)).delta.added).toEqual([`fs:${FILE}`]);
    // The new drift is in the release log (what webhooks' drift.new is sent from), naming the container and host.
    const [detected] = eventRows({ action: "drift.detected", limit: 1 });
    expect(detected).toMatchObject({ hostName: "alpha", containerName: alpha.name, serviceName: SERVICE, outcome: "info" });
    expect(detected!.message).toContain(`${alpha.name} (1)`);
    // Through the HTTP API: host report, CI form, paged changes, download.
    const host = await json(await hostRoute.GET(call("/api/drift/hosts/alpha"), ctx({ host: "alpha" })));
    expect(host.status).toBe(200);
    expect(host.body.verdict).toBe("drifted");
    const ci = await json(await driftRoute.GET(call("/api/drift?fail=true", "GET", undefined, viewerToken), ctx()));
    expect(ci.status).toBe(409);
    expect(ci.body.error?.message).toMatch(/^drift: [1-9]\d* drifted and \d+ unaccounted container/);
    const paged = await json(
      await changesRoute.GET(
        call(`/api/drift/hosts/alpha/containers/${alpha.name}/changes?page=1&pageSize=10&kind=added`),
        ctx({ host: "alpha", container: alpha.name }),
      ),
    );
    expect(paged.body).toMatchObject({ total: 1, pages: 1, page: 1 });
    const file = await fileRoute.GET(
      call(`/api/drift/hosts/alpha/containers/${alpha.name}/file?path=${encodeURIComponent(FILE)}`),
      ctx({ host: "alpha", container: alpha.name }),
    );
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/x-tar");
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="[A-Za-z0-9._-]+\.tar"$/);
    const tar = Buffer.from(await file.arrayBuffer()).toString("latin1");
    expect(tar).toContain(`drift-${process.pid}.txt`);
    expect(tar).toContain(`drifted-${process.pid}`);
  });

  it("the CI form: scripts/driftCheck.ts exits 1 on drift and names the container", async () => {
    const alpha = await liveContainer("alpha");
    // The drift routes behind node:http, as a stand-in for the dashboard.
    const server = http.createServer(async (req, res) => {
      const url = new URL(req.url!, "http://localhost");
      const handler = url.pathname === "/api/drift" ? driftRoute.GET : url.pathname === "/api/drift/scans" ? scansRoute.POST : null;
      const r = handler
        ? await handler(
            new NextRequest(url, {
              method: req.method,
              headers: { authorization: String(req.headers.authorization), "content-type": "application/json" },
              body: req.method === "POST" ? "{}" : undefined,
            }),
            ctx(),
          )
        : new Response("{}", { status: 404 });
      res.writeHead(r.status, { "content-type": "application/json" });
      res.end(Buffer.from(await r.arrayBuffer()));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const run = (env: Record<string, string>, ...args: string[]) =>
      new Promise<{ code: number; out: string; err: string }>((resolve) =>
        execFile(
          process.execPath,
          ["--import", "tsx", "scripts/driftCheck.ts", ...args],
          { env: { ...process.env, ...env } },
          (e, out, err) => resolve({ code: (e as { code?: number } | null)?.code ?? 0, out, err }),
        ),
      );
    try {
      const drift = await run({ SWITCHYARD_URL: url, SWITCHYARD_TOKEN: token }, "--scan");
      expect(drift.code, drift.err).toBe(1);
      expect(drift.out).toMatch(new RegExp(`drifted +${alpha.name} \\[${SERVICE} r1\\]: image 0, config 0, files 1`));
      expect(drift.err).toMatch(/drift: 1 drifted/);
      const bad = await run({ SWITCHYARD_URL: url, SWITCHYARD_TOKEN: "syt_wrong" });
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/HTTP 401: Unknown or revoked API token/);
    } finally {
      server.close();
    }
  });

  it("an ignore rule for its path turns it clean at once, the finding counted as ignored; removing the rule brings it back", async () => {
    const res = await json(
      await rulesRoute.POST(
        call("/api/drift/ignore-rules", "POST", { pattern: "/www/drift-*.txt", service: SERVICE, note: "test" }),
        ctx(),
      ),
    );
    expect(res.status).toBe(201);
    const rule = res.body.rule as { id: number };
    let alpha = mine().find((c) => c.host === "alpha")!;
    expect(alpha).toMatchObject({ verdict: "clean", counts: { changes: 1, changesIgnored: 1, changesEffective: 0 } });
    expect(fleetReport().summary.ignoredChanges).toBeGreaterThanOrEqual(1);
    await scan();
    alpha = mine().find((c) => c.host === "alpha")!;
    expect(alpha).toMatchObject({ verdict: "clean", counts: { changesIgnored: 1 } });
    deleteIgnoreRule(system, rule.id);
    expect(mine().find((c) => c.host === "alpha")?.verdict).toBe("drifted");
  });

  it("baseline turns the container's filesystem findings into rules for its service", async () => {
    const alpha = await liveContainer("alpha");
    const res = await json(
      await baselineRoute.POST(
        call(`/api/drift/hosts/alpha/containers/${alpha.name}/baseline`, "POST", {}),
        ctx({ host: "alpha", container: alpha.name }),
      ),
    );
    expect(res.status).toBe(201);
    const rules = res.body.rules as { id: number; pattern: string; service: string }[];
    expect(rules.map((r) => [r.pattern, r.service])).toEqual([[FILE, SERVICE]]);
    expect(mine().find((c) => c.host === "alpha")?.verdict).toBe("clean");
    expect(() => baselineContainer(system, "alpha", alpha.name)).toThrow(/no filesystem changes left/);
    for (const r of rules) deleteIgnoreRule(system, r.id);
    expect(mine().find((c) => c.host === "alpha")?.verdict).toBe("drifted");
  });

  it("bad input gets a 4xx with a clear message", async () => {
    const alpha = await liveContainer("alpha");
    const cases: [Promise<Response>, number, RegExp][] = [
      [hostRoute.GET(call("/api/drift/hosts/nope"), ctx({ host: "nope" })), 404, /Host 'nope' not found/],
      [hostRoute.GET(call("/api/drift/hosts/..%2f"), ctx({ host: "../" })), 400, /name:/],
      [
        containerRoute.GET(call("/api/drift/hosts/alpha/containers/nothing-here"), ctx({ host: "alpha", container: "nothing-here" })),
        404,
        /Container 'nothing-here' on host 'alpha'/,
      ],
      [rulesRoute.POST(call("/api/drift/ignore-rules", "POST", { pattern: "www/x" }), ctx()), 400, /pattern must start with '\/'/],
      [rulesRoute.POST(call("/api/drift/ignore-rules", "POST", { pattern: "/a/[x]" }), ctx()), 400, /only '\*', '\?' and '\*\*'/],
      [
        rulesRoute.POST(call("/api/drift/ignore-rules", "POST", { pattern: "/x", service: "no-such-service" }), ctx()),
        400,
        /no service named 'no-such-service'/,
      ],
      [rulesRoute.POST(call("/api/drift/ignore-rules", "POST", { pattern: "/tmp" }), ctx()), 409, /already ignores \/tmp/],
      [rulesRoute.POST(call("/api/drift/ignore-rules", "POST", { pattern: "/x" }, viewerToken), ctx()), 403, /needs the admin role/],
      [
        changesRoute.GET(
          call(`/api/drift/hosts/alpha/containers/${alpha.name}/changes?pageSize=100000`),
          ctx({ host: "alpha", container: alpha.name }),
        ),
        400,
        /pageSize/,
      ],
      [
        fileRoute.GET(
          call(`/api/drift/hosts/alpha/containers/${alpha.name}/file?path=/etc/passwd`),
          ctx({ host: "alpha", container: alpha.name }),
        ),
        404,
        /not an added or changed file/,
      ],
      [
        baselineRoute.POST(
          call(`/api/drift/hosts/beta/containers/${MANUAL}/baseline`, "POST", {}),
          ctx({ host: "beta", container: MANUAL }),
        ),
        409,
        /belongs to no release/,
      ],
      [
        replaceRoute.POST(call("/api/drift/services/no-such/replace", "POST", {}), ctx({ name: "no-such" })),
        404,
        /Service 'no-such' not found/,
      ],
      [scansRoute.POST(call("/api/drift/scans", "POST", { now: true }), ctx()), 400, /Unrecognized key/],
    ];
    for (const [res, status, message] of cases) {
      const r = await json(await res);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.error?.message).toMatch(message);
    }
  });

  it("Replace drifted containers: fresh containers, traffic switched, the drifted ones retired, zero failed requests, in the release log", async () => {
    const drifted = await liveContainer("alpha");
    const loops = requestLoops(FRONT);
    let outcome: { ok: boolean; message: string };
    try {
      const started = replaceDrifted(system, SERVICE);
      expect(started.containers).toEqual([{ host: "alpha", name: drifted.name }]);
      outcome = await started.finished;
    } finally {
      await loops.stop();
    }
    expect(outcome, outcome.message).toMatchObject({ ok: true });
    const samples = loops.samples;
    expect(samples.length).toBeGreaterThan(50);
    expect(failuresOf(samples)).toEqual([]);
    expect(
      await labDocker("alpha")
        .getContainer(drifted.id)
        .inspect()
        .catch(() => null),
    ).toBeNull();

    await scan();
    const ours = mine();
    expect(ours.map((c) => `${c.host}:${c.release}:${c.verdict}`).sort()).toEqual(["alpha:2:clean", "beta:2:clean"]);
    const alphaGone = fleetReport().hosts.find((h) => h.host === "alpha")!;
    expect(alphaGone.containers.some((c) => c.name === drifted.name)).toBe(false);
    const log = db()
      .select()
      .from(events)
      .all()
      .filter((e) => e.action === "drift.replace");
    expect(log.map((e) => e.outcome)).toEqual(["info", "ok"]);
    expect(
      db()
        .select()
        .from(events)
        .all()
        .some((e) => e.action === "release.retire" && e.releaseNumber === 1),
    ).toBe(true);
  });

  it("10,000+ changed files: stored once, grouped by directory, paged by the API", async () => {
    const alpha = await liveContainer("alpha");
    await exec("alpha", alpha.id, [
      "sh",
      "-c",
      "mkdir /www/bulk && cd /www/bulk && i=0; while [ $i -lt 10500 ]; do : > f$i; i=$((i+1)); done",
    ]);
    await scan();
    const detail = containerDetail("alpha", alpha.name);
    expect(detail.container).toMatchObject({ verdict: "drifted", counts: { changes: 10_501 } });
    expect(detail.changes.groups[0]).toMatchObject({ dir: "/www/bulk", total: 10_500, added: 10_500 });
    const t0 = Date.now();
    const res = await json(
      await changesRoute.GET(
        call(`/api/drift/hosts/alpha/containers/${alpha.name}/changes?page=11&pageSize=1000`),
        ctx({ host: "alpha", container: alpha.name }),
      ),
    );
    const ms = Date.now() - t0;
    expect(res.body).toMatchObject({ page: 11, pageSize: 1000, total: 10_501, pages: 11 });
    expect((res.body.items as unknown[]).length).toBe(501);
    expect(ms).toBeLessThan(1000);
    const inDir = containerChanges("alpha", alpha.name, { page: 2, pageSize: 100, dir: "/www/bulk", ignored: "include" });
    expect(inDir).toMatchObject({ total: 10_500, pages: 105 });
  });

  it("a hung engine costs one timeout and never holds up the other hosts' results", async () => {
    blackHole = net.createServer(() => undefined);
    await new Promise<void>((r) => blackHole!.listen(0, "127.0.0.1", r));
    const port = (blackHole.address() as net.AddressInfo).port;
    createHost(system, { name: "hung", url: `tcp://127.0.0.1:${port}` });
    const t0 = Date.now();
    const { scan: s, done } = startScan("manual", system);
    // While the hung host is still being waited for, alpha's and beta's fresh results are already in the report.
    let sawEarly = false;
    while (Date.now() - t0 < 10_000) {
      const r = fleetReport();
      const fresh = r.hosts.filter((h) => h.host !== "hung" && h.scan?.scanId === s.id);
      if (r.running?.id === s.id && fresh.length === 2) {
        sawEarly = true;
        break;
      }
      if (!r.running) break;
      await sleep(50);
    }
    await done;
    const elapsed = Date.now() - t0;
    expect(sawEarly).toBe(true);
    const hung = fleetReport().hosts.find((h) => h.host === "hung")!;
    expect(hung).toMatchObject({ verdict: "unreachable" });
    expect(elapsed).toBeLessThan(2 * 3000 + 2000);
    deleteHost(system, hostRowByName("hung").id);
  });
});
