import "server-only";
import type { HealthCheck } from "@/server/services/serviceSpecInput";
import type { z } from "zod";

type Check = z.infer<typeof HealthCheck>;

export type GateTarget = { label: string; url: string; isRunning: () => Promise<{ running: boolean; why?: string }> };

async function probe(url: string, timeoutMs: number, expect: number): Promise<string | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual", cache: "no-store" });
    await res.arrayBuffer().catch(() => undefined);
    return res.status === expect ? null : `answered ${res.status} (expected ${expect})`;
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
    return e.cause?.code === "ECONNREFUSED" ? "connection refused" : (e.cause?.code ?? e.message);
  }
}

/** Waits until one target passes `healthyAfter` checks in a row; throws the last reason when the gate times out. */
async function gateOne(t: GateTarget, check: Check, deadline: number): Promise<void> {
  let streak = 0;
  let lastReason = "not checked yet";
  for (;;) {
    const failure = await probe(t.url, check.timeoutMs, check.expectStatus);
    if (failure === null) {
      if (++streak >= check.healthyAfter) return;
    } else {
      streak = 0;
      lastReason = failure;
      const state = await t.isRunning();
      if (!state.running) throw new Error(`${t.label}: container stopped (${state.why ?? "exited"})`);
    }
    if (Date.now() + check.intervalMs > deadline) {
      throw new Error(`${t.label}: unhealthy after ${check.gateTimeoutS} s — GET ${new URL(t.url).pathname} ${lastReason}`);
    }
    await new Promise((r) => setTimeout(r, check.intervalMs));
  }
}

/** Health-gates every new container in parallel; all must pass. */
export async function healthGate(targets: GateTarget[], check: Check): Promise<void> {
  const deadline = Date.now() + check.gateTimeoutS * 1000;
  const results = await Promise.allSettled(targets.map((t) => gateOne(t, check, deadline)));
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => (r.reason as Error).message);
  if (failures.length) throw new Error(failures.join("; "));
}
