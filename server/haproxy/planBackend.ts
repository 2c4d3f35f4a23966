import "server-only";
import { isIP } from "node:net";
import { conflict, invalid } from "@/server/errors";
import { isSwitchyardServerName } from "@/server/releases/containerNaming";
import { assertHaproxyName, serverRef } from "./names";
import type { ServerState } from "./serverState";

export type DesiredServer = { name: string; address: string; port: number; weight: number; state: "ready" | "drain" };

/**
 * Health-check timing for servers added at run time. HAProxy 2.6 does not
 * apply a backend's `default-server` line to them (they would get its built-in
 * inter 2s, rise 2, fall 3), so these are passed on every `add server`.
 * The backend's `option httpchk` / `http-check` rules do apply.
 */
export type CheckSettings = { inter: number; fall: number; rise: number };
export const DEFAULT_CHECKS: CheckSettings = { inter: 300, fall: 2, rise: 1 };

/**
 * Which servers of the backend this plan may take away. A backend can hold
 * servers that someone else added (by hand, another tool, another service):
 * those are never drained, weighted or deleted. The default recognises only
 * Switchyard's naming; routing narrows it to the servers SQLite recorded for
 * the service (server/routing/applyServiceRouting.ts).
 */
export type OwnsServer = (serverName: string) => boolean;

export type PlanStep =
  | { kind: "command"; command: string }
  /** Wait until these servers passed a real health check (before they get traffic). */
  | { kind: "waitUp"; servers: string[] }
  /** `del server`, retried while HAProxy says the server still has connections. */
  | { kind: "delete"; command: string };

function assertDesired(desired: DesiredServer[]) {
  const seen = new Set<string>();
  for (const d of desired) {
    assertHaproxyName("server", d.name);
    if (seen.has(d.name)) throw invalid(`server ${d.name} is listed twice`);
    seen.add(d.name);
    if (!isIP(d.address))
      throw invalid(`server ${d.name}: address must be an IP literal (runtime-added servers are not resolved), got "${d.address}"`);
    if (!Number.isInteger(d.port) || d.port < 1 || d.port > 65535) throw invalid(`server ${d.name}: port ${d.port} is not 1..65535`);
    if (!Number.isInteger(d.weight) || d.weight < 0 || d.weight > 256) throw invalid(`server ${d.name}: weight ${d.weight} is not 0..256`);
    if (d.state !== "ready" && d.state !== "drain") throw invalid(`server ${d.name}: state must be ready or drain`);
  }
}

function assertCheckSettings(c: CheckSettings) {
  if (!Number.isInteger(c.inter) || c.inter < 10) throw invalid(`check inter ${c.inter} ms: at least 10`);
  if (!Number.isInteger(c.fall) || c.fall < 1) throw invalid(`check fall ${c.fall}: at least 1`);
  if (!Number.isInteger(c.rise) || c.rise < 1) throw invalid(`check rise ${c.rise}: at least 1`);
}

const hostPort = (address: string, port: number) => (isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`);

/**
 * Pure: the runtime-API steps that turn `actual` into `desired`, in the order
 * that keeps traffic flowing:
 *  a. add missing servers at weight 0 with checks, enable health, set their state;
 *  -  wait until every server about to get traffic passed a real check;
 *  b. servers gaining traffic: weight, then ready; then servers losing weight;
 *  c. servers to drain: drain (weight left as is);
 *  d. servers not desired that `owns` claims: maint, shutdown sessions, del server.
 * Servers not desired and not owned are foreign: no step names them.
 * Nothing is planned for a server that already matches, so re-planning after
 * an apply gives [].
 */
export function planBackend(
  backend: string,
  actual: ServerState[],
  desired: DesiredServer[],
  checks: CheckSettings = DEFAULT_CHECKS,
  owns: OwnsServer = isSwitchyardServerName,
): PlanStep[] {
  assertHaproxyName("backend", backend);
  assertDesired(desired);
  assertCheckSettings(checks);
  const byName = new Map(actual.map((s) => [s.name, s]));
  for (const d of desired) {
    const a = byName.get(d.name);
    if (a && (a.address !== d.address || a.port !== d.port)) {
      throw conflict(
        `HAProxy server ${backend}/${d.name} points to ${hostPort(a.address, a.port)}, not ${hostPort(d.address, d.port)}: give the new address a new server name`,
      );
    }
  }

  const cmd = (command: string): PlanStep => ({ kind: "command", command });
  const ref = (name: string) => serverRef(backend, name);
  const added: PlanStep[] = [];
  const gaining: PlanStep[] = [];
  const losing: PlanStep[] = [];
  const draining: PlanStep[] = [];
  const removing: PlanStep[] = [];
  const gate: string[] = [];

  for (const d of desired) {
    const a = byName.get(d.name);
    if (!a) {
      const { inter, fall, rise } = checks;
      added.push(
        cmd(`add server ${ref(d.name)} ${hostPort(d.address, d.port)} check weight 0 inter ${inter} fall ${fall} rise ${rise}`),
        cmd(`enable health ${ref(d.name)}`),
        cmd(`set server ${ref(d.name)} state ${d.state}`),
      );
    } else if (a.checksConfigured && !a.checksEnabled) {
      added.push(cmd(`enable health ${ref(d.name)}`));
    }
    if (d.state === "ready") {
      const weight = a ? a.weight : 0;
      const ready = a ? a.adminState === "ready" : true;
      const steps: PlanStep[] = [];
      if (weight !== d.weight) steps.push(cmd(`set server ${ref(d.name)} weight ${d.weight}`));
      if (!ready) steps.push(cmd(`set server ${ref(d.name)} state ready`));
      const gains = d.weight > 0 && (!ready || weight < d.weight);
      // Wait only for servers that take no traffic yet: one already weighted may be raised at once (HAProxy sends a down
      // server nothing), so going back to the live side (an abort, a shift down) never waits on a crashed live replica.
      if (gains && a?.adminState !== "maint" && !(ready && weight > 0)) gate.push(d.name);
      (gains || !ready ? gaining : losing).push(...steps);
    } else if (a && a.adminState !== "drain") {
      draining.push(cmd(`set server ${ref(d.name)} state drain`));
    }
  }
  const wanted = new Set(desired.map((d) => d.name));
  for (const a of actual) {
    if (wanted.has(a.name) || !owns(a.name)) continue;
    if (a.adminState !== "maint") removing.push(cmd(`set server ${ref(a.name)} state maint`));
    removing.push(cmd(`shutdown sessions server ${ref(a.name)}`), { kind: "delete", command: `del server ${ref(a.name)}` });
  }
  const waitUp: PlanStep[] = gate.length ? [{ kind: "waitUp", servers: gate }] : [];
  return [...added, ...waitUp, ...gaining, ...losing, ...draining, ...removing];
}
