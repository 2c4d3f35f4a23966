/** Just enough of HAProxy's runtime API for the benchmark: read state, watch it, clean up. */
import net from "node:net";
import { now, sleep } from "./clock";

export function haproxy(socket: string, command: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const conn = net.createConnection({ path: socket });
    const timer = setTimeout(() => {
      conn.destroy();
      reject(new Error(`haproxy: no answer to "${command}" within ${timeoutMs} ms`));
    }, timeoutMs);
    conn.on("connect", () => conn.write(`${command}\n`));
    conn.on("data", (c: Buffer) => chunks.push(c));
    conn.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("utf8").replace(/\s+$/, ""));
    });
    conn.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export type ServerRow = { name: string; port: number; op: number; admin: number; weight: number; checkStatus: number; checkResult: number };

/** `show servers state <backend>` (srv_op_state 2 = running; srv_admin_state bits 0x1/0x2/0x4/0x20 = maint, 0x8/0x10 = drain). */
export async function serversState(socket: string, backend: string): Promise<ServerRow[]> {
  const text = await haproxy(socket, `show servers state ${backend}`);
  return text
    .split("\n")
    .filter((l) => l && !l.startsWith("#") && !/^\d+$/.test(l.trim()))
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1] === backend)
    .map((f) => ({
      name: f[3]!,
      port: Number(f[18]),
      op: Number(f[5]),
      admin: Number(f[6]),
      weight: Number(f[7]),
      checkStatus: Number(f[10]),
      checkResult: Number(f[11]),
    }));
}

export const adminLabel = (admin: number) => (admin & 0x27 ? "maint" : admin & 0x18 ? "drain" : "ready");

/** `show stat` rows of the given proxies, by "proxy/server", as name → column map. */
export async function statRows(socket: string, proxies: string[]): Promise<Record<string, Record<string, string>>> {
  const text = await haproxy(socket, "show stat");
  const lines = text.split("\n");
  const header = lines[0]!.replace(/^#\s*/, "").split(",");
  const out: Record<string, Record<string, string>> = {};
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const f = line.split(",");
    if (!proxies.includes(f[0]!)) continue;
    const row: Record<string, string> = {};
    header.forEach((h, i) => h && (row[h] = f[i] ?? ""));
    out[`${f[0]}/${f[1]}`] = row;
  }
  return out;
}

/** Counters worth diffing across the load phase (errors, retries, redispatches, aborts, status classes). */
export const STAT_COUNTERS = [
  "stot",
  "req_tot",
  "hrsp_2xx",
  "hrsp_3xx",
  "hrsp_4xx",
  "hrsp_5xx",
  "hrsp_other",
  "ereq",
  "econ",
  "eresp",
  "wretr",
  "wredis",
  "cli_abrt",
  "srv_abrt",
  "dreq",
  "dresp",
  "chkfail",
  "chkdown",
];

export function diffStats(before: Record<string, Record<string, string>>, after: Record<string, Record<string, string>>) {
  const out: Record<string, Record<string, number>> = {};
  for (const [key, row] of Object.entries(after)) {
    const d: Record<string, number> = {};
    for (const c of STAT_COUNTERS) {
      const a = Number(row[c] || 0);
      const b = Number(before[key]?.[c] || 0);
      if (a - b !== 0) d[c] = a - b;
    }
    if (Object.keys(d).length) out[key] = d;
  }
  return out;
}

export type StateChange = { t: number; backend: string; servers: { name: string; state: string; weight: number; up: boolean }[] };

/**
 * Polls `show servers state` of the backends every `everyMs` and keeps a
 * snapshot each time something changed: the timeline of what the dashboard
 * (or anything else) did to HAProxy during the run.
 */
export function watchBackends(socket: string, backends: string[], everyMs = 100) {
  const changes: StateChange[] = [];
  const last = new Map<string, string>();
  let errors = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const backend of backends) {
        const t = now();
        try {
          const rows = await serversState(socket, backend);
          const servers = rows.map((r) => ({ name: r.name, state: adminLabel(r.admin), weight: r.weight, up: r.op === 2 }));
          const key = JSON.stringify(servers);
          if (last.get(backend) !== key) {
            last.set(backend, key);
            changes.push({ t, backend, servers });
          }
        } catch {
          errors++;
        }
      }
      await sleep(everyMs);
    }
  })();
  return {
    changes,
    async stop() {
      running = false;
      await loop;
      return { changes, errors };
    },
  };
}

/** HAProxy's pid and uptime (`show info`): a different pid later means it restarted and lost its runtime servers. */
export async function haproxyIdentity(socket: string): Promise<{ pid: number; uptimeS: number } | null> {
  try {
    const text = await haproxy(socket, "show info");
    const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)`, "m").exec(text)?.[1] ?? NaN);
    return { pid: field("Pid"), uptimeS: field("Uptime_sec") };
  } catch {
    return null;
  }
}
