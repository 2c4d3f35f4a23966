/**
 * The debug console and the verifiable forensic bundle against the real lab,
 * no mocks: a service `dbg-it` (no HAProxy routing) with one container on
 * alpha (unix socket) and one on beta (TCP+TLS). The beta one is quarantined
 * and debugged through the console; the alpha one stays live and the console
 * refuses it. Destroy now, then the bundle is extracted with the real `tar`
 * and checked with the real `sha256sum -c`.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTempDataDir } from "./lab";
import { inspectOrNull, removeContainersNamed } from "./releaseLab";

const dataDir = useTempDataDir("debug-console");

const { db } = await import("@/db/client");
const { events, hosts, quarantineTranscript, quarantines } = await import("@/db/schema");
const { addLabHosts, deploySucceeded, person, serviceSpec } = await import("./fixtures");
const { createService } = await import("@/server/services/saveService");
const { REDACTED } = await import("@/server/quarantine/forensicsFormat");
const { CONSOLE_OUTPUT_CAP_BYTES } = await import("@/server/quarantine/constants");
const { system } = await import("./lab");
const collection = await import("@/app/api/quarantines/route");
const one = await import("@/app/api/quarantines/[id]/route");
const execRoute = await import("@/app/api/quarantines/[id]/exec/route");
const transcriptRoute = await import("@/app/api/quarantines/[id]/transcript/route");
const destroyRoute = await import("@/app/api/quarantines/[id]/destroy/route");
const consoleRoute = await import("@/app/api/hosts/[id]/containers/[container]/console/route");

const SERVICE = "dbg-it";
const SECRET = "dbg-s3cret-api-key-value";
const staff = { operator: person("dbg-op", "operator"), viewer: person("dbg-viewer", "viewer") };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(handler: unknown, who: keyof typeof staff, url: string, body?: unknown, params: Record<string, string> = {}) {
  const req = new NextRequest(`http://localhost${url}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${staff[who].token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (handler as Handler)(req, { params: Promise.resolve(params) });
}
const json = async (res: Response) => ({ status: res.status, json: (await res.json()) as Json });

/** A console command through the API: the streamed lines, parsed. */
async function run(id: number, body: unknown): Promise<{ status: number; lines: Json[]; text: string }> {
  const res = await call(execRoute.POST, "operator", `/api/quarantines/${id}/exec`, body, { id: String(id) });
  const text = await res.text();
  const lines = res.headers.get("content-type")?.includes("ndjson")
    ? text
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Json)
    : [];
  return { status: res.status, lines, text };
}
const ended = (lines: Json[]) => lines.find((l) => l.type === "end")!.entry as Json;
const streamed = (lines: Json[]) =>
  lines
    .filter((l) => l.type === "output")
    .map((l) => l.text as string)
    .join("");

const hostId = (name: string) => db().select().from(hosts).where(eq(hosts.name, name)).get()!.id;
const rowOf = (id: number) => db().select().from(quarantines).where(eq(quarantines.id, id)).get()!;
const transcriptRows = () => db().select({ n: count() }).from(quarantineTranscript).get()!.n;
const eventCount = () => db().select({ n: count() }).from(events).get()!.n;

beforeAll(async () => {
  await removeContainersNamed(`${SERVICE}-r`);
  addLabHosts("alpha", "beta");
  createService(
    system,
    serviceSpec(SERVICE, {
      env: [{ name: "API_KEY", value: SECRET, secret: true }],
      readOnlyRootFs: false,
      user: "0", // the image's user (nobody) can write nowhere; the console writes a note for the bundle to copy
      haproxy: null,
    }),
  );
  await deploySucceeded(SERVICE, "1.0.0");
});

afterAll(async () => {
  await removeContainersNamed(`${SERVICE}-r`).catch(() => undefined);
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("debug console and verifiable forensic bundle against the real lab", () => {
  it("refuses a live container with the reason, and runs nothing", async () => {
    const alpha = hostId("alpha");
    const before = { t: transcriptRows(), e: eventCount() };
    const params = { id: String(alpha), container: `${SERVICE}-r1-alpha-1` };
    const url = `/api/hosts/${alpha}/containers/${SERVICE}-r1-alpha-1/console`;
    const refused = await json(await call(consoleRoute.POST, "operator", url, { shell: "echo should-not-run > /www/ran.txt" }, params));
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toMatch(
      /dbg-it-r1-alpha-1 on alpha is not quarantined: it is a container of dbg-it release 1 \(live\)\. The debug console never runs in a container that is in service/,
    );
    const asked = await json(await call(consoleRoute.GET, "operator", url, undefined, params));
    expect(asked.status).toBe(409);
    expect(asked.json.error.message).toBe(refused.json.error.message);
    const unknown = await json(
      await call(
        consoleRoute.POST,
        "operator",
        `/api/hosts/${alpha}/containers/nope/console`,
        { argv: ["id"] },
        { ...params, container: "nope" },
      ),
    );
    expect(unknown.status).toBe(409);
    expect(unknown.json.error.message).toMatch(/'nope' on alpha is not a quarantined container/);
    expect((await call(consoleRoute.POST, "viewer", url, { argv: ["id"] }, params)).status).toBe(403);
    const bad = await json(await call(consoleRoute.POST, "operator", url, { argv: ["id"], shell: "id" }, params));
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/either argv/);
    // Nothing ran: no transcript, no event, and the file the command would have written is not there.
    expect({ t: transcriptRows(), e: eventCount() }).toEqual(before);
    const live = (await inspectOrNull("alpha", `${SERVICE}-r1-alpha-1`))!;
    expect(live.State.Running).toBe(true);
    const changes = (await import("./lab")).labDocker("alpha").getContainer(live.Id).changes();
    expect(((await changes) ?? []).map((c: { Path: string }) => c.Path)).not.toContain("/www/ran.txt");
  });

  let qid = 0;
  let dockerId = "";
  it("runs commands in a quarantined container: output streamed and demultiplexed, secrets masked, exit code, cap and time limit recorded", async () => {
    const res = await json(
      await call(collection.POST, "operator", "/api/quarantines?wait=true", {
        hostId: hostId("beta"),
        container: `${SERVICE}-r1-beta-1`,
        reason: "integration: debug console",
        lifetimeS: 600,
        isolateNetwork: true,
      }),
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.operation.status, JSON.stringify(res.json.operation.steps)).toBe("succeeded");
    qid = res.json.quarantine.id as number;
    dockerId = res.json.quarantine.dockerId as string;
    // The lab runs host networking: nothing to disconnect, and the page says why.
    expect(res.json.quarantine.network).toMatch(/^host network — cannot be cut off: it uses the host's network/);
    const atQuarantine = JSON.parse(rowOf(qid).processesAtQuarantine!) as Json;
    expect(atQuarantine).toMatchObject({ when: "quarantine", by: "dbg-op", error: null });
    expect(JSON.stringify(atQuarantine.processes)).toContain("httpd");

    const t0 = Date.now();
    const first = await run(qid, { shell: "echo out-line; echo err-line >&2; echo key=$API_KEY; exit 3" });
    expect(first.status, first.text).toBe(200);
    expect(first.lines[0]).toMatchObject({ type: "start", command: "$ echo out-line; echo err-line >&2; echo key=$API_KEY; exit 3" });
    const out = streamed(first.lines);
    expect(out).toContain("out-line\n");
    expect(out).toContain("[stderr] err-line\n");
    expect(out).toContain(`key=${REDACTED}\n`);
    expect(first.text).not.toContain(SECRET);
    const e1 = ended(first.lines);
    expect(e1).toMatchObject({ by: "dbg-op", exitCode: 3, timedOut: false, truncated: false, error: null, shellLine: expect.any(String) });
    expect(e1.argv).toEqual(["sh", "-c", "echo out-line; echo err-line >&2; echo key=$API_KEY; exit 3"]);
    expect(e1.output).toBe(out);
    expect(e1.durationMs).toBeLessThan(Date.now() - t0 + 1);

    const argv = await run(qid, { argv: ["/bin/busybox", "ls", "/"] });
    expect(ended(argv.lines)).toMatchObject({ exitCode: 0, shellLine: null });
    expect(streamed(argv.lines).split("\n")).toContain("www");

    // Something the bundle copies out (files/…), so SHA256SUMS covers the container's own files too.
    const wrote = await run(qid, { shell: "echo console-notes > /www/dbg-note.txt" });
    expect(ended(wrote.lines).exitCode, streamed(wrote.lines)).toBe(0);

    const loud = await run(qid, { shell: 'i=0; while [ $i -lt 5000 ]; do echo "line-$i-................"; i=$((i+1)); done' });
    const e3 = ended(loud.lines);
    expect(e3).toMatchObject({ exitCode: 0, truncated: true });
    expect(e3.outputBytes).toBeGreaterThan(CONSOLE_OUTPUT_CAP_BYTES);
    expect(Buffer.byteLength(e3.output as string)).toBeLessThanOrEqual(CONSOLE_OUTPUT_CAP_BYTES);
    expect(Buffer.byteLength(streamed(loud.lines))).toBe(Buffer.byteLength(e3.output as string));

    const started = Date.now();
    const slow = await run(qid, { shell: "echo before; /bin/busybox sleep 29 & /bin/busybox sleep 30", timeoutS: 1 });
    const took = Date.now() - started;
    // Cut off at the limit and stopped: the shell and the sleeps it started are killed (exit 137 = SIGKILL), not left running.
    expect(ended(slow.lines)).toMatchObject({ timedOut: true, exitCode: 137 });
    expect(streamed(slow.lines)).toBe("before\n");
    expect(took).toBeLessThan(5000);
    const ps = await run(qid, { argv: ["/bin/busybox", "ps", "-o", "pid,args"] });
    expect(ended(ps.lines).exitCode, streamed(ps.lines)).toBe(0);
    expect(streamed(ps.lines)).not.toContain("sleep 30");
    expect(streamed(ps.lines), "what the command started in the background is stopped too").not.toContain("sleep 29");

    const missing = await run(qid, { argv: ["/no/such/program"] });
    const e5 = ended(missing.lines);
    expect(e5.exitCode === 126 || e5.exitCode === 127 || e5.error !== null, JSON.stringify(e5)).toBe(true);

    // The same console addressed by host and container name (the quarantined name) works too.
    const beta = hostId("beta");
    const byName = rowOf(qid).quarantinedName;
    const viaHost = await call(
      consoleRoute.POST,
      "operator",
      `/api/hosts/${beta}/containers/${byName}/console`,
      { argv: ["/bin/busybox", "echo", "via-host-route"] },
      { id: String(beta), container: byName },
    );
    expect(viaHost.status).toBe(200);
    expect(await viaHost.text()).toContain("via-host-route");

    const transcript = await json(
      await call(transcriptRoute.GET, "operator", `/api/quarantines/${qid}/transcript`, undefined, { id: String(qid) }),
    );
    expect(transcript.status).toBe(200);
    expect(transcript.json.entries.map((e: Json) => e.exitCode)).toEqual([3, 0, 0, 0, 137, 0, e5.exitCode, 0]);
    expect(transcript.json.entries[0]).toMatchObject({ ...e1, command: "$ echo out-line; echo err-line >&2; echo key=$API_KEY; exit 3" });
    expect((await call(transcriptRoute.GET, "viewer", `/api/quarantines/${qid}/transcript`, undefined, { id: String(qid) })).status).toBe(
      403,
    );
    const logged = db().select().from(events).where(eq(events.action, "quarantine.console")).all();
    expect(logged).toHaveLength(8);
    expect(logged[0]!.actor).toBe("dbg-op");
    expect(logged[0]!.message).toMatch(/debug console in dbg-it-r1-beta-1-quarantined-\d+: \$ echo out-line.* — exit 3 in \d+ ms/);
  });

  it("Destroy now builds a bundle that `sha256sum -c SHA256SUMS` verifies, with the transcript, both process lists, the image history and who/when", async () => {
    const destroyed = await json(await call(destroyRoute.POST, "operator", `/api/quarantines/${qid}/destroy`, {}, { id: String(qid) }));
    expect(destroyed.status, JSON.stringify(destroyed.json)).toBe(200);
    expect(await inspectOrNull("beta", dockerId)).toBeNull();
    const row = rowOf(qid);
    const file = row.forensicsPath!;
    const sha = crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
    expect(row.forensicsSha256).toBe(sha);
    const view = (await json(await call(one.GET, "viewer", `/api/quarantines/${qid}`, undefined, { id: String(qid) }))).json
      .quarantine as Json;
    expect(view.forensics.sha256).toBe(sha);
    const event = db().select().from(events).where(eq(events.action, "quarantine.destroy")).all().at(-1)!;
    expect(event.message).toContain(`SHA-256 ${sha}`);
    expect((JSON.parse(event.detail!) as Json).forensics.sha256).toBe(sha);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dbg-bundle-"));
    try {
      execFileSync("tar", ["-xzf", file, "-C", dir]);
      const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
      const check = execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: dir, encoding: "utf8" });
      const listed = check.trim().split("\n");
      expect(
        listed.every((l) => l.endsWith(": OK")),
        check,
      ).toBe(true);
      for (const name of [
        "manifest.json",
        "transcript.txt",
        "transcript.json",
        "processes-at-quarantine.json",
        "processes-at-destroy.json",
        "image-history.json",
        "steps.json",
        "logs.txt",
      ])
        expect(listed).toContain(`${name}: OK`);
      expect(listed).toContain("files/www/dbg-note.txt: OK");
      expect(read("files/www/dbg-note.txt")).toBe("console-notes\n");
      console.info(
        `[debug-console] sha256sum -c SHA256SUMS: ${listed.length} files OK; bundle ${row.forensicsBytes} bytes, SHA-256 ${sha}`,
      );

      expect(read("transcript.txt")).toContain("$ echo out-line; echo err-line >&2; echo key=$API_KEY; exit 3");
      // stdout and stderr are two pipes in the container: their relative order is the engine's, so each is checked alone.
      expect(read("transcript.txt")).toContain("out-line\n");
      expect(read("transcript.txt")).toContain("[stderr] err-line\n");
      expect(read("transcript.txt")).toMatch(/by dbg-op: exit 3 in \d+ ms/);
      expect(read("transcript.txt")).toContain("[output cut at the cap:");
      expect(read("transcript.txt")).toMatch(/cut off at the time limit after [\d.]+ s and stopped \(exit 137\)/);
      const transcript = JSON.parse(read("transcript.json")) as Json;
      expect(transcript.entries).toHaveLength(8);
      expect(transcript.note).toMatch(/^captured command by command, while quarantined; this bundle was built at destroy time/);
      const atQuarantine = JSON.parse(read("processes-at-quarantine.json")) as Json;
      const atDestroy = JSON.parse(read("processes-at-destroy.json")) as Json;
      expect(atQuarantine).toMatchObject({ when: "quarantine", by: "dbg-op", error: null });
      expect(atDestroy).toMatchObject({ when: "destroy", by: "dbg-op", error: null });
      expect(atQuarantine.note).toMatch(/^captured at quarantine time; this bundle was built at destroy time/);
      expect(JSON.stringify(atDestroy.processes)).toContain("httpd");
      expect(Date.parse(atDestroy.capturedAt)).toBeGreaterThan(Date.parse(atQuarantine.capturedAt));
      const history = JSON.parse(read("image-history.json")) as Json;
      expect(history.error).toBeNull();
      expect(history.layers.length).toBeGreaterThan(0);
      expect(history.image).toMatch(/^sha256:/);
      const steps = (JSON.parse(read("steps.json")) as Json).steps as Json[];
      expect(steps[0]).toMatchObject({ by: "dbg-op", step: "quarantined", detail: "integration: debug console" });
      expect(steps.filter((s) => s.step.startsWith("debug console #"))).toHaveLength(8);
      expect(steps.at(-1)).toMatchObject({ by: "dbg-op", step: "forensic bundle built (at destroy time)" });
      const manifest = JSON.parse(read("manifest.json")) as Json;
      expect(manifest.bundle).toMatchObject({ builtWhen: "destroy", builtBy: "dbg-op" });
      expect(manifest.network).toMatchObject({ mode: "host", requested: true, outcome: "not-possible" });
      for (const name of fs.readdirSync(dir)) {
        const p = path.join(dir, name);
        if (fs.statSync(p).isFile()) expect(fs.readFileSync(p, "utf8"), name).not.toContain(SECRET);
      }

      // A changed file fails the check: the sums are not decoration.
      fs.appendFileSync(path.join(dir, "transcript.txt"), "forged\n");
      expect(() => execFileSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: dir, stdio: "pipe" })).toThrow(/did NOT match/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    const after = await run(qid, { argv: ["id"] });
    expect(after.status).toBe(409);
    expect(after.text).toMatch(/is destroyed: the debug console runs only in a container that is still quarantined/);
  });
});
