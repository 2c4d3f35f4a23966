/**
 * Cutting a quarantined container off from its networks: what can be done
 * for its network mode, what is saved to reconnect it (on Cancel
 * self-destruct), and what the page says. Decided from `docker inspect`
 * alone. No server imports: unit-tested. The lab runs every container with
 * the host's network (no bridge network may exist there), so only the
 * host-network and `none` answers are exercised against real engines.
 */

/** One network the container was on, as needed to connect it again (POST /networks/{id}/connect). */
export type SavedNetwork = { name: string; id: string; aliases: string[]; ipv4: string | null; ipv6: string | null; links: string[] };

type Endpoint = {
  NetworkID?: string;
  Aliases?: string[] | null;
  Links?: string[] | null;
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string } | null;
};

export type IsolationPlan =
  { kind: "disconnect"; networks: SavedNetwork[] } | { kind: "not-possible"; why: string } | { kind: "nothing-to-cut"; why: string };

export const HOST_NETWORK_WHY =
  "it uses the host's network (NetworkMode host): it has no network of its own to disconnect, it shares the host's interfaces and ports. Only stopping it would cut it off, and that loses the state it was kept for; block its port on the host if it must not be reached";

/** What can be done for a container with this network mode and these endpoints (inspect's HostConfig.NetworkMode, NetworkSettings.Networks). */
export function isolationPlan(networkMode: string | undefined, networks: Record<string, Endpoint> | null | undefined): IsolationPlan {
  const mode = networkMode || "default";
  if (mode === "host") return { kind: "not-possible", why: HOST_NETWORK_WHY };
  if (mode.startsWith("container:"))
    return {
      kind: "not-possible",
      why: `it shares the network of another container (${mode}): disconnecting it would cut that container off too`,
    };
  const list = Object.entries(networks ?? {}).filter(([name]) => name !== "none" && name !== "host");
  if (mode === "none" || list.length === 0)
    return { kind: "nothing-to-cut", why: "it has no network (NetworkMode none or no network attached): there is nothing to disconnect" };
  return {
    kind: "disconnect",
    networks: list.map(([name, e]) => ({
      name,
      id: e.NetworkID ?? name,
      aliases: e.Aliases ?? [],
      ipv4: e.IPAMConfig?.IPv4Address || null,
      ipv6: e.IPAMConfig?.IPv6Address || null,
      links: e.Links ?? [],
    })),
  };
}

/** The EndpointConfig that connects a saved network again as it was (static addresses and aliases kept). */
export function reconnectConfig(n: SavedNetwork) {
  const ipam =
    n.ipv4 || n.ipv6 ? { IPAMConfig: { ...(n.ipv4 ? { IPv4Address: n.ipv4 } : {}), ...(n.ipv6 ? { IPv6Address: n.ipv6 } : {}) } } : {};
  return { ...ipam, ...(n.aliases.length ? { Aliases: n.aliases } : {}), ...(n.links.length ? { Links: n.links } : {}) };
}

/** Stored on the quarantine (JSON): asked or not, what happened, the networks to restore, who and when. */
export type NetworkIsolation = {
  mode: string;
  requested: boolean;
  outcome: "cut-off" | "not-possible" | "nothing-to-cut" | "not-requested" | "failed" | "restored";
  why: string | null;
  networks: SavedNetwork[];
  by: string;
  at: string;
  restored?: { by: string; at: string; failed: string[] };
};

/** What a quarantine does with its networks: disconnect only when asked and possible; why not otherwise (shown even when not asked). */
export function decideIsolation(
  requested: boolean,
  plan: IsolationPlan,
): { outcome: NetworkIsolation["outcome"]; why: string | null; disconnect: SavedNetwork[] } {
  if (plan.kind === "disconnect")
    return requested
      ? { outcome: "cut-off", why: null, disconnect: plan.networks }
      : { outcome: "not-requested", why: null, disconnect: [] };
  return { outcome: requested ? plan.kind : "not-requested", why: plan.why, disconnect: [] };
}

/** The networks to connect again when self-destruct is cancelled: those it was cut off from, once. */
export function networksToRestore(n: NetworkIsolation | null): SavedNetwork[] {
  return n?.outcome === "cut-off" ? n.networks : [];
}

/** The line on the quarantine page. */
export function isolationNote(n: NetworkIsolation | null): string {
  if (!n) return "not recorded (quarantined before Switchyard recorded networks)";
  const names = n.networks.map((x) => x.name).join(", ");
  switch (n.outcome) {
    case "cut-off":
      return `cut off from ${names} by ${n.by}; reconnected if self-destruct is cancelled`;
    case "restored":
      return `was cut off from ${names}; reconnected by ${n.restored?.by}${n.restored?.failed.length ? ` (failed: ${n.restored.failed.join("; ")})` : ""}`;
    case "failed":
      return `cutting it off failed: ${n.why}`;
    case "not-possible":
      return `${n.mode} network — cannot be cut off: ${n.why}`;
    case "nothing-to-cut":
      return `not cut off: ${n.why}`;
    case "not-requested":
      if (n.mode === "host") return `host network — could not be cut off anyway: ${n.why}`;
      return n.why ? `${n.mode} network — not cut off: ${n.why}` : `${n.mode} network — still connected (cutting off was not asked for)`;
  }
}
