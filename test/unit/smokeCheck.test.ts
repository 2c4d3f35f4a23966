/** The smoke checker against a real loopback HTTP server: status, body text, timeout, refused, the 1 KB cut. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeSmokeFailures, runSmokeCheck, runSmokeChecks, SHOWN_BYTES } from "@/server/releases/smokeCheck";
import { SmokeCheck, SmokeChecks } from "@/server/services/smokeSpecInput";

let server: http.Server;
let port = 0;
const big = "é".repeat(3000); // 6000 bytes of 2-byte characters

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/ok") return res.end("version 1.1.0 ready");
    if (req.url === "/boom") {
      res.statusCode = 503;
      return res.end("upstream exploded: database unreachable");
    }
    if (req.url === "/big") return res.end(`${big}needle-after-6000-bytes`);
    if (req.url === "/slow") return void setTimeout(() => res.end("late"), 1500);
    res.statusCode = 404;
    res.end("not found");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const target = () => ({ server: "r2-alpha-1", address: "127.0.0.1", port });
const check = (c: Partial<SmokeCheck> & { path: string }) => SmokeCheck.parse(c);

describe("smoke checks", () => {
  it("passes on the expected status and body text, with a latency", async () => {
    const r = await runSmokeCheck(target(), check({ path: "/ok", bodyContains: "1.1.0" }));
    expect(r).toMatchObject({ ok: true, status: 200, body: "version 1.1.0 ready", server: "r2-alpha-1" });
    expect(r.url).toBe(`http://127.0.0.1:${port}/ok`);
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("fails on another status and keeps the body to show", async () => {
    const r = await runSmokeCheck(target(), check({ path: "/boom" }));
    expect(r).toMatchObject({
      ok: false,
      status: 503,
      body: "upstream exploded: database unreachable",
      error: "answered 503, expected 200",
    });
    expect(describeSmokeFailures([r])).toMatch(
      /^r2-alpha-1 GET \/boom: answered 503, expected 200 \(status 503, \d+ ms\), body: upstream exploded/,
    );
  });

  it("accepts an expected non-200 status", async () => {
    expect((await runSmokeCheck(target(), check({ path: "/missing", expectStatus: 404 }))).ok).toBe(true);
  });

  it("fails when the body lacks the text; shows at most 1 KB, cut at a character boundary, but looks further", async () => {
    const miss = await runSmokeCheck(target(), check({ path: "/big", bodyContains: "1.1.0" }));
    expect(miss.ok).toBe(false);
    expect(miss.error).toBe('body does not contain "1.1.0"');
    expect(Buffer.byteLength(miss.body)).toBeLessThanOrEqual(SHOWN_BYTES);
    expect(miss.body).toBe("é".repeat(SHOWN_BYTES / 2));
    expect((await runSmokeCheck(target(), check({ path: "/big", bodyContains: "needle-after-6000-bytes" }))).ok).toBe(true);
  });

  it("times out after timeoutMs, and says so", async () => {
    const started = Date.now();
    const r = await runSmokeCheck(target(), check({ path: "/slow", timeoutMs: 200 }));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r).toMatchObject({ ok: false, status: null, error: "no answer within 200 ms" });
  });

  it("fails on a refused connection", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const r = await runSmokeCheck({ server: "gone", address: "127.0.0.1", port: freePort }, check({ path: "/ok" }));
    expect(r).toMatchObject({ ok: false, status: null, error: "ECONNREFUSED" });
  });

  it("runs every check on every target", async () => {
    const results = await runSmokeChecks(
      [target(), { ...target(), server: "r2-beta-1" }],
      [check({ path: "/ok" }), check({ path: "/boom" })],
    );
    expect(results.map((r) => `${r.server} ${r.path} ${r.ok}`)).toEqual([
      "r2-alpha-1 /ok true",
      "r2-alpha-1 /boom false",
      "r2-beta-1 /ok true",
      "r2-beta-1 /boom false",
    ]);
  });

  it("validates the spec field", () => {
    expect(SmokeChecks.parse(undefined)).toEqual([]);
    expect(SmokeCheck.safeParse({ path: "health" }).success).toBe(false);
    expect(SmokeCheck.safeParse({ path: "/x", expectStatus: 700 }).success).toBe(false);
    expect(SmokeCheck.parse({ path: "/x" })).toEqual({ path: "/x", expectStatus: 200, timeoutMs: 2000 });
  });
});

describe("a blocked switch in the API envelope", () => {
  it("is a 409 carrying the message and every result", async () => {
    const { errorResponse } = await import("@/server/http/errorResponse");
    const { SmokeChecksFailed } = await import("@/server/releases/smokeError");
    const results = await runSmokeChecks([target()], [check({ path: "/boom" })]);
    const run = { service: "web", candidate: 2, ranAt: new Date(0).toISOString(), passed: false, results };
    const res = errorResponse(
      new SmokeChecksFailed(`Switch blocked: release 2 failed its smoke checks.\n${describeSmokeFailures(results)}`, run),
    );
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string; smoke: typeof run } };
    expect(body.error.code).toBe("CONFLICT");
    expect(body.error.message).toMatch(/GET \/boom: answered 503, expected 200 \(status 503, \d+ ms\), body: upstream exploded/);
    expect(body.error.smoke.results[0]).toMatchObject({
      server: "r2-alpha-1",
      status: 503,
      ok: false,
      body: "upstream exploded: database unreachable",
    });
  });
});
