import "server-only";
import { requestRate } from "@/server/haproxy/backendStats";
import { haproxySnapshot, onHaproxySample, sampleHaproxy, startHaproxySampler, type HaproxySample } from "./haproxySampler";

export type ServerLiveStats = {
  status: string;
  checkStatus: string;
  weight: number;
  reqTotal: number;
  errors5xx: number;
  /** Requests/s between the sampler's last two samples. */
  rps: number;
  rtimeMs: number;
};

type RateState = {
  previous: HaproxySample | null;
  current: HaproxySample | null;
  unsubscribe: (() => void) | null;
  first: Promise<unknown> | null;
};
const globalForRates = globalThis as unknown as { switchyardHaproxyRates?: RateState };
const rates = (globalForRates.switchyardHaproxyRates ??= { previous: null, current: null, unsubscribe: null, first: null });

function follow(): void {
  if (rates.unsubscribe) return;
  rates.current = haproxySnapshot().sample;
  rates.unsubscribe = onHaproxySample((sample) => {
    rates.previous = rates.current;
    rates.current = sample;
  });
}

/**
 * Per-server stats of backends from the HAProxy sampler's last sample, with
 * requests/s derived from its last two samples. Never calls HAProxy (but
 * starts the sampler and waits for its first sample if this process has none yet).
 */
export async function backendLiveStats(
  backends: string[],
): Promise<
  { ok: true; sampledAt: number; servers: Map<string, ServerLiveStats> } | { ok: false; error: string; sampledAt: number | null }
> {
  follow();
  if (!haproxySnapshot().sample && !haproxySnapshot().error) {
    startHaproxySampler();
    await (rates.first ??= sampleHaproxy());
  }
  const { sample, error } = haproxySnapshot();
  if (error) return { ok: false, error: error.message, sampledAt: sample?.at ?? null };
  if (!sample) return { ok: false, error: "no HAProxy sample yet", sampledAt: null };
  const previous = rates.previous !== sample ? rates.previous : null;
  const servers = new Map<string, ServerLiveStats>();
  for (const backend of backends) {
    const before = new Map((previous?.backends.get(backend) ?? []).map((r) => [r.server, r]));
    for (const r of sample.backends.get(backend) ?? []) {
      if (r.server === "BACKEND" || r.server === "FRONTEND") continue;
      const prev = before.get(r.server);
      const rps =
        prev && previous
          ? (requestRate({ reqTotal: prev.reqTotal, atMs: previous.at }, { reqTotal: r.reqTotal, atMs: sample.at }) ?? 0)
          : 0;
      servers.set(r.server, {
        status: r.status,
        checkStatus: r.checkStatus,
        weight: r.weight,
        reqTotal: r.reqTotal,
        errors5xx: r.hrsp5xx,
        rps,
        rtimeMs: r.rtimeMs,
      });
    }
  }
  return { ok: true, sampledAt: sample.at, servers };
}
