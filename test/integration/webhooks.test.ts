/**
 * Webhooks against the real lab and a receiver on loopback: one signed
 * message per state change of a real service (deploy, switch, rollback,
 * retire), verified with the Standard Webhooks algorithm written out here
 * (not the code under test); a receiver that answers 500 three times gets the
 * message on the fourth try; a dashboard SIGKILLed between an event and its
 * delivery delivers it once after restarting.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lab, system, useTempDataDir } from "./lab";
import { freePort, ROOT } from "./faultLab";
import { removeContainersNamed, sleep, until } from "./releaseLab";

process.env.SWITCHYARD_WEBHOOK_BACKOFF_S = "0.3,0.3,0.3,0.3";
useTempDataDir("webhooks");

const { addLabHosts, deploySucceeded, serviceSpec, onHosts } = await import("./fixtures");
const { createService } = await import("@/server/services/saveService");
const { switchTraffic } = await import("@/server/releases/switchTraffic");
const { retireStandby } = await import("@/server/releases/retireStandby");
const { createWebhook } = await import("@/server/webhooks/createWebhook");
const { listDeliveries } = await import("@/server/webhooks/webhookViews");
const { startWebhookSender } = await import("@/server/webhooks/webhookSender");

const SERVICE = "it-hooks";
const VERSIONS = lab().images["demo-web"]!;

type Received = { id: string; timestamp: string; signature: string; body: string; at: number };

/** A loopback receiver; `answer` decides each response's status. */
async function receiver(answer: (nth: number, r: Received) => number = () => 204, port = 0) {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (d: string) => (body += d));
    req.on("end", () => {
      const r = {
        id: String(req.headers["webhook-id"]),
        timestamp: String(req.headers["webhook-timestamp"]),
        signature: String(req.headers["webhook-signature"]),
        body,
        at: Date.now(),
      };
      got.push(r);
      res.writeHead(answer(got.length, r)).end("receiver says hi");
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return { got, url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The Standard Webhooks check, written from the spec: HMAC-SHA256 with the base64-decoded secret over `id.timestamp.body`. */
function standardSignatureValid(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${r.id}.${r.timestamp}.${r.body}`).digest("base64");
  return r.signature.split(" ").includes(`v1,${expected}`) && Math.abs(Date.now() / 1000 - Number(r.timestamp)) < 300;
}

const typeOf = (r: Received) => (JSON.parse(r.body) as { type: string }).type;
const dataOf = (r: Received) => (JSON.parse(r.body) as { data: Record<string, unknown> }).data;

let main: Awaited<ReturnType<typeof receiver>>;
let secret: string;

beforeAll(async () => {
  await removeContainersNamed(`${SERVICE}-r`);
  addLabHosts("alpha");
  main = await receiver();
  ({ secret } = createWebhook(system, {
    url: main.url,
    events: ["release.deployed", "release.switched", "release.rolledback", "release.retired", "release.failed"],
  }));
  startWebhookSender(100);
  createService(system, serviceSpec(SERVICE, { placement: onHosts("alpha"), haproxy: null }));
});

afterAll(async () => {
  await main?.close();
  await removeContainersNamed(`${SERVICE}-r`);
});

describe("one signed message per state change", () => {
  it("deploy, deploy, switch, rollback, retire → deployed, switched, deployed, switched, rolledback, retired", async () => {
    await deploySucceeded(SERVICE, VERSIONS["1.0.0"]!); // r1: candidate, then live (first release)
    await deploySucceeded(SERVICE, VERSIONS["1.1.0"]!); // r2: candidate
    await switchTraffic(system, SERVICE, "switch"); // r2 live, r1 standby
    await switchTraffic(system, SERVICE, "rollback"); // r1 live, r2 standby
    await retireStandby(system, SERVICE); // r2 retired
    await until("six messages", () => (main.got.length >= 6 ? true : undefined), 10_000);
    await sleep(800); // nothing more arrives: no duplicates
    expect(main.got.map(typeOf)).toEqual([
      "release.deployed",
      "release.switched",
      "release.deployed",
      "release.switched",
      "release.rolledback",
      "release.retired",
    ]);
    expect(new Set(main.got.map((r) => r.id)).size).toBe(6);
    for (const r of main.got) expect(standardSignatureValid(secret, r), r.body).toBe(true);
    // A tampered body would not pass.
    expect(standardSignatureValid(secret, { ...main.got[0]!, body: main.got[0]!.body.replace("release", "relaese") })).toBe(false);

    const switched = dataOf(main.got[3]!);
    expect(switched).toMatchObject({
      service: SERVICE,
      release: 2,
      previousRelease: 1,
      image: { old: { digest: VERSIONS["1.0.0"]!.split("@")[1] }, new: { digest: VERSIONS["1.1.0"]!.split("@")[1] } },
      actor: "integration-test",
    });
    expect((switched.cdevent as { context: { type: string } }).context.type).toBe("dev.cdevents.service.upgraded.0.2.0");
    const rolledBack = dataOf(main.got[4]!);
    expect(rolledBack).toMatchObject({ release: 1, previousRelease: 2 });
    const retired = dataOf(main.got[5]!);
    expect(retired).toMatchObject({ previousRelease: 2, release: 1 });
  });
});

describe("retries", () => {
  it("a receiver that answers 500 three times gets the message on the fourth try, with the same id", async () => {
    const flaky = await receiver((nth) => (nth <= 3 ? 500 : 200));
    try {
      const { webhook } = createWebhook(system, { url: flaky.url, events: ["release.switched"] });
      await deploySucceeded(SERVICE, VERSIONS["1.1.0"]!);
      await switchTraffic(system, SERVICE, "switch");
      await until("four attempts", () => (flaky.got.length >= 4 ? true : undefined), 10_000);
      await sleep(1000);
      expect(flaky.got).toHaveLength(4);
      expect(new Set(flaky.got.map((r) => r.id)).size).toBe(1);
      const [delivery] = listDeliveries(webhook.id);
      expect(delivery).toMatchObject({ status: "delivered", attempts: 4, lastStatusCode: 200 });
      expect(delivery!.history.map((a) => a.statusCode)).toEqual([500, 500, 500, 200]);
      expect(delivery!.history.map((a) => a.trigger)).toEqual(["first", "retry", "retry", "retry"]);
      expect(delivery!.history[0]!.error).toMatch(/^HTTP 500: receiver says hi/);
    } finally {
      await flaky.close();
    }
  });
});

describe("a crash between the event and its delivery", () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill("SIGKILL")));

  function child(dataDir: string, ...args: string[]) {
    const proc = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "test/integration/webhookChild.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, SWITCHYARD_DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(proc);
    const lines: Record<string, unknown>[] = [];
    let out = "";
    let err = "";
    proc.stdout!.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      for (let nl = out.indexOf("\n"); nl >= 0; nl = out.indexOf("\n")) {
        lines.push(JSON.parse(out.slice(0, nl)) as Record<string, unknown>);
        out = out.slice(nl + 1);
      }
    });
    proc.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
    const line = (key: string) => until(`"${key}" from the stand-in dashboard (${err})`, () => lines.find((l) => key in l), 30_000);
    return { proc, line };
  }

  it("SIGKILLed after the event was recorded and an attempt failed: the restarted dashboard delivers it once", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-webhook-crash-"));
    const port = await freePort(); // nothing listens yet: the first attempt is refused
    const first = child(dataDir, "emit", `http://127.0.0.1:${port}/hooks`);
    const recorded = (await first.line("recorded")) as { recorded: string; secret: string; lastError: string };
    expect(recorded.lastError).toMatch(/ECONNREFUSED|refused/i);
    first.proc.kill("SIGKILL");
    await new Promise((r) => first.proc.once("exit", r));

    const late = await receiver(() => 200, port);
    try {
      const second = child(dataDir, "serve");
      await second.line("serving");
      await until("the message after the restart", () => (late.got.length >= 1 ? true : undefined), 10_000);
      await sleep(1500);
      second.proc.kill("SIGKILL");
      expect(late.got).toHaveLength(1);
      expect(late.got[0]!.id).toBe(recorded.recorded);
      expect(typeOf(late.got[0]!)).toBe("drift.new");
      expect(standardSignatureValid(recorded.secret, late.got[0]!)).toBe(true);
    } finally {
      await late.close();
    }
  });
});
