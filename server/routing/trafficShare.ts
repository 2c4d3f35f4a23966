/** Pure: the share of a backend's traffic HAProxy gives each side (live, candidate, standby), from `show stat`. */
import type { ServerStats } from "@/server/haproxy/backendStats";

export type TrafficShare = {
  /** 0..100, rounded to one decimal. */
  percent: number;
  /** "requests": measured from the servers' session rates; "weights": no traffic right now, so what the weights and states give. */
  basis: "requests" | "weights";
  /** Why a side gets no traffic ("drained", "down", "weight 0", "in maintenance", "not in HAProxy"); null when it gets some. */
  why: string | null;
};

/** Whether HAProxy sends new requests to this server: up (or without checks), ready and weighted. */
function takesTraffic(row: ServerStats): boolean {
  return (row.status.startsWith("UP") || row.status === "no check") && row.weight > 0;
}

function whyNone(rows: ServerStats[]): string {
  if (!rows.length) return "not in HAProxy";
  const reasons = new Set(
    rows.map((r) =>
      r.status.startsWith("MAINT")
        ? "in maintenance"
        : r.status.startsWith("DRAIN")
          ? "drained"
          : r.status.startsWith("DOWN")
            ? "down"
            : r.weight === 0
              ? "weight 0"
              : "no traffic",
    ),
  );
  return [...reasons].join(", ");
}

/**
 * Per side: its servers' share of the session rate of the servers that take
 * traffic now, when those have some (at least `minRate` sessions/s), else the
 * share of the effective weight. A down, drained, in-maintenance or weight-0
 * server counts 0 either way: `rate` covers the last second, so a server
 * drained a moment ago still shows the requests it had before. Servers of the
 * backend that belong to no side (someone else's) count in the total.
 */
export function trafficShares<K extends string>(
  rows: readonly ServerStats[],
  sides: Record<K, readonly string[]>,
  minRate = 1,
): Record<K, TrafficShare> {
  const servers = rows.filter((r) => r.server !== "BACKEND" && r.server !== "FRONTEND");
  const rate = (r: ServerStats) => (takesTraffic(r) ? r.rate : 0);
  const effective = (r: ServerStats) => (takesTraffic(r) ? r.weight : 0);
  const totalRate = servers.reduce((a, r) => a + rate(r), 0);
  const byRate = totalRate >= minRate;
  const total = byRate ? totalRate : servers.reduce((a, r) => a + effective(r), 0);
  const out = {} as Record<K, TrafficShare>;
  for (const side of Object.keys(sides) as K[]) {
    const names = new Set(sides[side]);
    const mine = servers.filter((r) => names.has(r.server));
    const part = mine.reduce((a, r) => a + (byRate ? rate(r) : effective(r)), 0);
    const percent = total > 0 ? Math.round((part / total) * 1000) / 10 : 0;
    out[side] = { percent, basis: byRate ? "requests" : "weights", why: percent > 0 ? null : whyNone(mine) };
  }
  return out;
}
