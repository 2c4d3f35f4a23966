import "server-only";
import { assertHaproxyName } from "./names";
import { haproxyCommand } from "./runtimeApi";

export type ServerStats = {
  /** svname: a server name, or "BACKEND" for the backend's own row. */
  server: string;
  /** As HAProxy shows it: "UP", "DOWN", "MAINT", "DRAIN", "UP 1/2", "no check" ... */
  status: string;
  /** Servers: the configured weight (uweight). BACKEND: total weight of the servers taking traffic. */
  weight: number;
  /** HTTP requests handled (req_tot). */
  reqTotal: number;
  hrsp2xx: number;
  hrsp5xx: number;
  /** Sessions per second over the last second. */
  rate: number;
  /** Average response time over the last 1024 requests (ms). */
  rtimeMs: number;
  /** "L7OK", "L4CON" ...; "" when the row has no check (BACKEND, servers without `check`). */
  checkStatus: string;
  /** Seconds since the last UP/DOWN transition. */
  lastChangeS: number | null;
  currentSessions: number;
};

/** One CSV line; HAProxy quotes fields that contain ',' or '"' (doubling quotes). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === "," && !quoted) {
      out.push(field);
      field = "";
    } else {
      field += c;
    }
  }
  out.push(field);
  return out;
}

/**
 * Pure: parses `show stat` CSV (header `# pxname,svname,...`, columns found by
 * name) into rows per backend: its servers, then its BACKEND row. FRONTEND rows
 * are left out.
 */
export function parseStatCsvByBackend(text: string): Map<string, ServerStats[]> {
  const lines = text.split("\n").filter((l) => l.trim());
  const header = lines.find((l) => l.startsWith("#"));
  if (!header) throw new Error("show stat: no '# pxname,svname,...' header");
  const columns = csvFields(header.replace(/^#\s*/, ""));
  const index = new Map(columns.map((name, i) => [name, i]));
  const servers = new Map<string, ServerStats[]>();
  const totals = new Map<string, ServerStats[]>();
  for (const line of lines) {
    if (line.startsWith("#")) continue;
    const fields = csvFields(line);
    const text = (name: string) => {
      const i = index.get(name);
      return i === undefined ? "" : (fields[i] ?? "");
    };
    const count = (name: string) => Number(text(name)) || 0;
    const optional = (name: string) => (text(name) === "" ? null : text(name));
    const svname = text("svname");
    if (svname === "FRONTEND") continue;
    const lastchg = optional("lastchg");
    const row: ServerStats = {
      server: svname,
      status: text("status"),
      weight: svname !== "BACKEND" && text("uweight") !== "" ? count("uweight") : count("weight"),
      reqTotal: count("req_tot"),
      hrsp2xx: count("hrsp_2xx"),
      hrsp5xx: count("hrsp_5xx"),
      rate: count("rate"),
      rtimeMs: count("rtime"),
      // HAProxy prefixes "* " while a check is in progress ("* L7OK"): the result is the same, and must compare equal.
      checkStatus: text("check_status").replace(/^\* /, ""),
      lastChangeS: lastchg === null ? null : Number(lastchg),
      currentSessions: count("scur"),
    };
    const into = svname === "BACKEND" ? totals : servers;
    const backend = text("pxname");
    into.set(backend, [...(into.get(backend) ?? []), row]);
  }
  const out = new Map<string, ServerStats[]>();
  for (const backend of new Set([...servers.keys(), ...totals.keys()])) {
    out.set(backend, [...(servers.get(backend) ?? []), ...(totals.get(backend) ?? [])]);
  }
  return out;
}

/** Pure: the rows of one backend from `show stat` CSV (see parseStatCsvByBackend). */
export function parseStatCsv(text: string, backend: string): ServerStats[] {
  return parseStatCsvByBackend(text).get(backend) ?? [];
}

/** Live counters of every proxy HAProxy runs (`show stat`), per backend. */
export async function allBackendStats(socket: string): Promise<Map<string, ServerStats[]>> {
  return parseStatCsvByBackend(await haproxyCommand(socket, "show stat"));
}

/** Live counters of one backend's servers and its BACKEND row (`show stat <backend> -1 -1`). */
export async function backendStats(socket: string, backend: string): Promise<ServerStats[]> {
  const text = await haproxyCommand(socket, `show stat ${assertHaproxyName("backend", backend)} -1 -1`);
  return parseStatCsv(text, backend);
}

export type RequestSample = { reqTotal: number; atMs: number };

/**
 * Pure: requests per second between two samples of a req_tot counter. Null
 * when it cannot be told (no time passed, or the counter went back: HAProxy
 * restarted or the server was re-added).
 */
export function requestRate(prev: RequestSample, next: RequestSample): number | null {
  const seconds = (next.atMs - prev.atMs) / 1000;
  const requests = next.reqTotal - prev.reqTotal;
  if (!(seconds > 0) || requests < 0) return null;
  return requests / seconds;
}
