/** Pure: where HAProxy's servers differ from what routing intends (desiredRouting.ts). */
import type { DesiredServer, OwnsServer } from "@/server/haproxy/planBackend";
import type { ServerStats } from "@/server/haproxy/backendStats";

/** A server as HAProxy holds it: its user weight and admin state. */
type ActualServer = { name: string; weight: number; admin: "ready" | "drain" | "maint" };

/** From a `show stat` row: "MAINT…" is maint, "DRAIN…" drain, anything else (UP, DOWN, NOLB, no check) ready. */
export function actualFromStats(row: ServerStats): ActualServer {
  const admin = row.status.startsWith("MAINT") ? "maint" : row.status.startsWith("DRAIN") ? "drain" : "ready";
  return { name: row.server, weight: row.weight, admin };
}

/**
 * The differences, one sentence each, [] when HAProxy matches. A drained
 * server's weight is not compared (draining leaves it as it is); a server
 * neither desired nor owned is someone else's and never a difference.
 */
export function routingDifferences(desired: DesiredServer[], actual: ActualServer[], owns: OwnsServer): string[] {
  const byName = new Map(actual.map((a) => [a.name, a]));
  const out: string[] = [];
  for (const d of desired) {
    const a = byName.get(d.name);
    if (!a) out.push(`${d.name} is not in HAProxy`);
    else if (a.admin !== d.state) out.push(`${d.name} is ${a.admin} in HAProxy, ${d.state} intended`);
    else if (d.state === "ready" && a.weight !== d.weight) out.push(`${d.name} has weight ${a.weight} in HAProxy, ${d.weight} intended`);
  }
  const wanted = new Set(desired.map((d) => d.name));
  for (const a of actual) if (!wanted.has(a.name) && owns(a.name)) out.push(`${a.name} is still in HAProxy, no longer intended`);
  return out;
}
