import type Docker from "dockerode";
import type { EngineFacts } from "@/server/hosts/probeHost";

/** One container as the engine sampler keeps it: what the fleet, host and service pages need. */
export type EngineContainer = {
  id: string;
  /** Docker's names without the leading "/"; `name` is the first. */
  names: string[];
  name: string;
  image: string;
  imageId: string;
  /** "created" | "running" | "paused" | "restarting" | "exited" | "dead" | "removing". */
  state: string;
  /** Docker's status text ("Up 5 minutes (healthy)", "Exited (137) 3 seconds ago"), as of `at`. */
  status: string;
  /** "healthy" | "unhealthy" | "starting", null without a health check. */
  health: string | null;
  labels: Record<string, string>;
  /** Epoch ms. */
  created: number;
  ports: { ip: string | null; privatePort: number; publicPort: number | null; type: string }[];
};

/** Engine facts as the fleet page shows them; the container counts follow the snapshot's containers. */
export type EngineInfo = EngineFacts;

export type EngineSnapshot = {
  hostId: number;
  hostName: string;
  /** Epoch ms of the last good data from the engine (inventory or event); null: never reached. */
  at: number | null;
  /** Sorted by name. */
  containers: EngineContainer[];
  /** Null until the engine answered once. */
  engine: EngineInfo | null;
  /** Round trip of the last inventory (info + list), ms. */
  latencyMs: number | null;
  /** Set while the engine does not answer: since when (epoch ms) and the last error. */
  stale: null | { since: number; error: string };
};

/** A Docker event as the events stream sends it (container events only are applied). */
export type DockerEvent = {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  id?: string;
  time?: number;
  timeNano?: number;
};

const HEALTH = /\((healthy|unhealthy|health: starting)\)/;

/** Pure: the health word inside Docker's status text, or null. */
export function healthFromStatus(status: string): string | null {
  const m = HEALTH.exec(status);
  if (!m) return null;
  return m[1] === "health: starting" ? "starting" : m[1]!;
}

/** Pure: a `GET /containers/json` entry as the sampler keeps it. */
export function containerFromList(c: Docker.ContainerInfo): EngineContainer {
  const names = (c.Names ?? []).map((n) => n.replace(/^\//, ""));
  return {
    id: c.Id,
    names,
    name: names[0] ?? c.Id.slice(0, 12),
    image: c.Image,
    imageId: c.ImageID,
    state: c.State,
    status: c.Status,
    health: healthFromStatus(c.Status ?? ""),
    labels: c.Labels ?? {},
    created: c.Created * 1000,
    ports: (c.Ports ?? []).map((p) => ({ ip: p.IP ?? null, privatePort: p.PrivatePort, publicPort: p.PublicPort ?? null, type: p.Type })),
  };
}

/** Attributes of a container event that are not labels. */
const NOT_LABELS = new Set(["image", "name", "exitCode", "signal", "execID", "execDuration", "oldName", "container"]);

/** Actions that change nothing the snapshot shows. */
const IGNORED = /^(exec_|attach|resize|top|commit|copy|export|archive-path|extract-to-dir|detach)/;

export type EventResult = {
  containers: Map<string, EngineContainer>;
  /** The snapshot changed. */
  changed: boolean;
  /** The sampler should re-read this one container from the engine (Docker's own status text, ports...). */
  refresh: boolean;
};

/**
 * Pure: applies one Docker event to the containers at once (the state a page
 * shows changes without waiting for an engine call); says whether the container
 * should be re-read to pick up what the event does not carry.
 */
export function applyContainerEvent(containers: ReadonlyMap<string, EngineContainer>, ev: DockerEvent): EventResult {
  const id = ev.Actor?.ID ?? ev.id;
  const action = ev.Action ?? "";
  const same = { containers: new Map(containers), changed: false, refresh: false };
  if ((ev.Type && ev.Type !== "container") || !id || IGNORED.test(action)) return same;
  const next = new Map(containers);
  const attrs = ev.Actor?.Attributes ?? {};
  const current = next.get(id);
  const put = (patch: Partial<EngineContainer>) => {
    const base = current ?? placeholder(id, attrs);
    next.set(id, { ...base, ...patch });
    return { containers: next, changed: true, refresh: true };
  };
  if (action === "destroy") {
    if (!current) return same;
    next.delete(id);
    return { containers: next, changed: true, refresh: false };
  }
  if (action.startsWith("health_status")) {
    const word = action.slice("health_status:".length).trim();
    return put({ health: word || null });
  }
  switch (action) {
    case "create":
      return put({});
    case "start":
    case "restart":
    case "unpause":
      return put({ state: "running", status: "Up Less than a second", health: current?.health ? "starting" : null });
    case "pause":
      return put({ state: "paused", status: `${current?.status ?? "Up"} (Paused)` });
    case "die": {
      const code = attrs.exitCode ?? "0";
      return put({ state: "exited", status: `Exited (${code}) Less than a second ago`, health: null });
    }
    case "rename": {
      const name = (attrs.name ?? "").replace(/^\//, "");
      if (!name) return put({});
      return put({ name, names: [name, ...(current?.names.slice(1) ?? [])] });
    }
    case "kill":
    case "oom":
    case "stop":
    case "update":
      // The state changes with the `die` that follows (or not at all): re-read to be sure.
      return { containers: next, changed: false, refresh: true };
    default:
      return { containers: next, changed: false, refresh: true };
  }
}

function placeholder(id: string, attrs: Record<string, string>): EngineContainer {
  const name = (attrs.name ?? id.slice(0, 12)).replace(/^\//, "");
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (!NOT_LABELS.has(k)) labels[k] = v;
  return {
    id,
    names: [name],
    name,
    image: attrs.image ?? "",
    imageId: "",
    state: "created",
    status: "Created",
    health: null,
    labels,
    created: Date.now(),
    ports: [],
  };
}

/** Pure: containers sorted by name, as snapshots list them. */
export function sortedContainers(containers: ReadonlyMap<string, EngineContainer>): EngineContainer[] {
  return [...containers.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** Pure: the engine facts with container counts taken from the containers. */
export function engineInfoWithCounts(facts: Omit<EngineInfo, "containers">, containers: readonly EngineContainer[]): EngineInfo {
  const count = (s: string) => containers.filter((c) => c.state === s).length;
  const running = count("running") + count("restarting");
  const paused = count("paused");
  return { ...facts, containers: { total: containers.length, running, paused, stopped: containers.length - running - paused } };
}

// Docker's human durations ("Less than a second", "About an hour", "12 seconds", "3 days ago").
const RELATIVE_TIME = /(Less than a second|About an? (minute|hour)|\d+ (second|minute|hour|day|week|month|year)s?)( ago)?/g;

/**
 * Pure: what an inventory compares to decide whether readers must refetch.
 * A container's `status` text holds its age ("Up 12 seconds"), which changes
 * at every inventory; left in, every open page would refetch every 20 s for
 * nothing. The state, health and exit code in it still count.
 */
export function inventorySignature(containers: readonly EngineContainer[]): string {
  return JSON.stringify(containers.map((c) => ({ ...c, status: c.status.replace(RELATIVE_TIME, "") })));
}
