import "server-only";
import { assertHaproxyName } from "./names";
import { haproxyCommand } from "./runtimeApi";

export type AdminState = "ready" | "drain" | "maint";
export type OperationalState = "down" | "starting" | "up" | "stopping" | "unknown";
export type CheckResult = "unknown" | "neutral" | "failed" | "passed" | "condpass";

export type ServerState = {
  name: string;
  /** "-" in HAProxy's output (FQDN not resolved) becomes "". */
  address: string;
  port: number;
  /** The user weight (srv_uweight), what `set server ... weight` changes. */
  weight: number;
  adminState: AdminState;
  operational: OperationalState;
  /** Name as in `show stat` (L7OK, L4CON, INI ...); absent when the server has no check. */
  checkStatus?: string;
  checkResult: CheckResult;
  /** Health checks configured (`check`) and administratively enabled (`enable health`). */
  checksConfigured: boolean;
  checksEnabled: boolean;
  secondsSinceChange: number;
};

// srv_admin_state bits (HAProxy 2.6 include/haproxy/server-t.h).
const ADMF_FMAINT = 0x01; // forced into maintenance (new dynamic servers start here)
const ADMF_IMAINT = 0x02; // inherited from a tracked server
const ADMF_CMAINT = 0x04; // "disabled" in the configuration
const ADMF_RMAINT = 0x20; // address resolution failed
const ADMF_DRAIN = 0x08 | 0x10; // forced or inherited drain
const ADMF_ANY_MAINT = ADMF_FMAINT | ADMF_IMAINT | ADMF_CMAINT | ADMF_RMAINT;

// srv_check_state bits.
const CHK_ST_CONFIGURED = 0x02;
const CHK_ST_ENABLED = 0x04;

const OPERATIONAL: Record<number, OperationalState> = { 0: "down", 1: "starting", 2: "up", 3: "stopping" };
const CHECK_RESULTS: CheckResult[] = ["unknown", "neutral", "failed", "passed", "condpass"];
// enum healthcheck_status, by index; "" for internal values that never show as a name.
const CHECK_STATUS_NAMES = [
  "UNK",
  "INI",
  "",
  "",
  "HANA",
  "SOCKERR",
  "L4OK",
  "L4TOUT",
  "L4CON",
  "L6OK",
  "L6TOUT",
  "L6RSP",
  "L7TOUT",
  "L7RSP",
  "",
  "L7OK",
  "L7OKC",
  "L7STS",
  "PROCERR",
  "PROCTOUT",
  "PROCOK",
];

export function adminStateOf(bits: number): AdminState {
  if (bits & ADMF_ANY_MAINT) return "maint";
  if (bits & ADMF_DRAIN) return "drain";
  return "ready";
}

/**
 * Pure: parses `show servers state [<backend>]` (format version 1). Columns
 * are found by the names in the '#' header line, not by position.
 */
export function parseServersState(text: string, backend?: string): ServerState[] {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const version = lines[0];
  if (version !== "1") throw new Error(`show servers state: unsupported format version ${JSON.stringify(version ?? "")}`);
  const header = lines.find((l) => l.startsWith("#"));
  if (!header) throw new Error("show servers state: no header line");
  const columns = header.replace(/^#\s*/, "").split(/\s+/);
  const index = new Map(columns.map((name, i) => [name, i]));
  const out: ServerState[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith("#")) continue;
    const fields = line.split(/\s+/);
    const raw = (name: string) => {
      const i = index.get(name);
      const v = i === undefined ? undefined : fields[i];
      if (v === undefined) throw new Error(`show servers state: no ${name} in line ${JSON.stringify(line)}`);
      return v;
    };
    const num = (name: string) => Number(raw(name));
    if (backend !== undefined && raw("be_name") !== backend) continue;
    const checkState = num("srv_check_state");
    const checksConfigured = (checkState & CHK_ST_CONFIGURED) !== 0;
    const address = raw("srv_addr");
    out.push({
      name: raw("srv_name"),
      address: address === "-" ? "" : address,
      port: num("srv_port"),
      weight: num("srv_uweight"),
      adminState: adminStateOf(num("srv_admin_state")),
      operational: OPERATIONAL[num("srv_op_state")] ?? "unknown",
      ...(checksConfigured ? { checkStatus: CHECK_STATUS_NAMES[num("srv_check_status")] || "UNK" } : {}),
      checkResult: CHECK_RESULTS[num("srv_check_result")] ?? "unknown",
      checksConfigured,
      checksEnabled: checksConfigured && (checkState & CHK_ST_ENABLED) !== 0,
      secondsSinceChange: num("srv_time_since_last_change"),
    });
  }
  return out;
}

/** The servers HAProxy has in `backend` right now, with their admin and operational state. */
export async function backendServers(socket: string, backend: string): Promise<ServerState[]> {
  const text = await haproxyCommand(socket, `show servers state ${assertHaproxyName("backend", backend)}`);
  return parseServersState(text, backend);
}
