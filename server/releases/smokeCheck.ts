/**
 * Runs smoke checks: one GET per check against each target (a candidate
 * container's address:port), with its own timeout. Loopback or lab addresses
 * only (the containers' own), never a URL from user input: the spec gives the
 * path, the record gives host and port. No server imports, so the unit test
 * drives it against a loopback HTTP server.
 */
import http from "node:http";
import type { SmokeCheck } from "@/server/services/smokeSpecInput";
import type { SmokeResult } from "./smokeView";

/** How much of a body is kept to look for `bodyContains`, and how much is shown. */
const SCAN_BYTES = 64 * 1024;
export const SHOWN_BYTES = 1024;

export type SmokeTarget = { server: string; address: string; port: number };

const hostPort = (t: SmokeTarget) => (t.address.includes(":") ? `[${t.address}]:${t.port}` : `${t.address}:${t.port}`);

function firstBytes(chunks: Buffer[], n: number): string {
  // Cut at a character boundary: a split UTF-8 sequence is dropped, not shown as U+FFFD.
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks).subarray(0, n)).replace(/\uFFFD$/, "");
}

export function runSmokeCheck(target: SmokeTarget, check: SmokeCheck): Promise<SmokeResult> {
  const started = performance.now();
  const base = {
    server: target.server,
    url: `http://${hostPort(target)}${check.path}`,
    path: check.path,
    expectStatus: check.expectStatus,
  };
  const ms = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<SmokeResult, keyof typeof base | "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...base, ...r, latencyMs: ms() });
    };
    const req = http.get(
      { host: target.address, port: target.port, path: check.path, agent: false, headers: { "user-agent": "switchyard-smoke" } },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on("data", (c: Buffer) => {
          if (kept >= SCAN_BYTES) return;
          chunks.push(c);
          kept += c.length;
        });
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          const scanned = firstBytes(chunks, SCAN_BYTES);
          const body = firstBytes(chunks, SHOWN_BYTES);
          if (status !== check.expectStatus)
            return finish({ ok: false, status, body, error: `answered ${status}, expected ${check.expectStatus}` });
          if (check.bodyContains !== undefined && !scanned.includes(check.bodyContains))
            return finish({ ok: false, status, body, error: `body does not contain ${JSON.stringify(check.bodyContains)}` });
          finish({ ok: true, status, body });
        });
        res.on("error", (err) =>
          finish({ ok: false, status: res.statusCode ?? null, body: firstBytes(chunks, SHOWN_BYTES), error: err.message }),
        );
      },
    );
    req.on("error", (err: NodeJS.ErrnoException) => finish({ ok: false, status: null, body: "", error: err.code ?? err.message }));
    const timer = setTimeout(
      () => finish({ ok: false, status: null, body: "", error: `no answer within ${check.timeoutMs} ms` }),
      check.timeoutMs,
    );
  });
}

/** Every check against every target, the targets in parallel and each target's checks in order. */
export async function runSmokeChecks(targets: SmokeTarget[], checks: SmokeCheck[]): Promise<SmokeResult[]> {
  const perTarget = await Promise.all(
    targets.map(async (t) => {
      const out: SmokeResult[] = [];
      for (const c of checks) out.push(await runSmokeCheck(t, c));
      return out;
    }),
  );
  return perTarget.flat();
}

/** One line per failing check: what the API error and the page show. */
export function describeSmokeFailures(results: SmokeResult[]): string {
  return results
    .filter((r) => !r.ok)
    .map(
      (r) => `${r.server} GET ${r.path}: ${r.error} (status ${r.status ?? "none"}, ${r.latencyMs} ms)${r.body ? `, body: ${r.body}` : ""}`,
    )
    .join("\n");
}
