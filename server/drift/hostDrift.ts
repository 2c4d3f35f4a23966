/** Host drift, pure: engine facts across hosts, with the odd ones out (hosts that should be identical and are not). */
import { HOST_FACT_FIELDS, type HostFactKey } from "./constants";

export type HostFacts = Record<HostFactKey, string>;
export type HostDriftField = {
  key: HostFactKey;
  label: string;
  /** The value most hosts share; null when there is no single most common value (a tie). */
  majority: string | null;
  values: { host: string; value: string | null; odd: boolean }[];
};
export type HostDrift = { fields: HostDriftField[]; oddHosts: string[]; compared: number };

/** Hosts with no facts (unreachable, not scanned) are listed, never counted as odd. */
export function hostDrift(hosts: { name: string; facts: HostFacts | null }[]): HostDrift {
  const known = hosts.filter((h) => h.facts !== null);
  const odd = new Set<string>();
  const fields = HOST_FACT_FIELDS.map(({ key, label }) => {
    const counts = new Map<string, number>();
    for (const h of known) counts.set(h.facts![key], (counts.get(h.facts![key]) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const top = ranked[0];
    const majority = top && (ranked.length === 1 || top[1] > ranked[1]![1]) ? top[0] : null;
    const values = hosts.map((h) => {
      const value = h.facts?.[key] ?? null;
      const isOdd = value !== null && ranked.length > 1 && value !== majority;
      if (isOdd) odd.add(h.name);
      return { host: h.name, value, odd: isOdd };
    });
    return { key, label, majority, values };
  });
  return { fields, oddHosts: hosts.map((h) => h.name).filter((n) => odd.has(n)), compared: known.length };
}
