import "server-only";
import { backendStats } from "@/server/haproxy/backendStats";
import { haproxyErrorMessage } from "./haproxyErrorMessage";

type Sample = { reqTotal: number; at: number; rps: number };
const globalForStats = globalThis as unknown as { switchyardStats?: Map<string, Sample> };
const samples = (globalForStats.switchyardStats ??= new Map());

export type ServerLiveStats = {
  status: string;
  checkStatus: string;
  weight: number;
  reqTotal: number;
  errors5xx: number;
  rps: number;
  rtimeMs: number;
};

/** Reads `show stat` for a backend and derives requests/s per server from successive samples. */
export async function sampleBackend(
  socket: string,
  backend: string,
): Promise<{ ok: true; servers: Map<string, ServerLiveStats> } | { ok: false; error: string }> {
  try {
    const rows = await backendStats(socket, backend);
    const now = Date.now();
    const servers = new Map<string, ServerLiveStats>();
    for (const r of rows) {
      if (r.server === "BACKEND" || r.server === "FRONTEND") continue;
      const key = `${backend}/${r.server}`;
      const prev = samples.get(key);
      let rps = prev?.rps ?? 0;
      if (prev && now - prev.at >= 900) rps = Math.max(0, ((r.reqTotal - prev.reqTotal) * 1000) / (now - prev.at));
      if (!prev || now - prev.at >= 900) samples.set(key, { reqTotal: r.reqTotal, at: now, rps });
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
    return { ok: true, servers };
  } catch (err) {
    return { ok: false, error: haproxyErrorMessage(err) };
  }
}
