/** The parts of an engine's container and image inspect that the drift report compares. Pure. */
import type Docker from "dockerode";

export type ContainerFacts = {
  name: string;
  imageId: string;
  /** The reference the container was created from (Config.Image). */
  configImage: string;
  env: string[];
  cmd: string[] | null;
  entrypoint: string[] | null;
  user: string;
  labels: Record<string, string>;
  exposedPorts: string[];
  portBindings: string[];
  networkMode: string;
  readOnly: boolean;
  restartPolicy: string;
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  /** Docker's PidsLimit; null when unlimited (0 and -1 mean the same). */
  pidsLimit: number | null;
  mounts: { type: string; source: string; destination: string; name: string; rw: boolean }[];
  workingDir: string;
  /** Config.StopTimeout; null when unset (the engine's default). */
  stopTimeout: number | null;
  /** HostConfig.Tmpfs: target → options. */
  tmpfs: Record<string, string>;
  /** Bytes; null when unlimited. */
  memory: number | null;
  nanoCpus: number | null;
  extraHosts: string[];
};

export type ImageFacts = {
  env: string[];
  cmd: string[] | null;
  entrypoint: string[] | null;
  user: string;
  workingDir: string;
  labels: Record<string, string>;
  volumes: string[];
  exposedPorts: string[];
  repoDigests: string[];
};

type Bindings = Record<string, { HostIp?: string; HostPort?: string }[] | null | undefined> | null | undefined;

/** "8000/tcp → 127.0.0.1:24001", sorted: comparable lists of port bindings. */
export function bindingList(b: Bindings): string[] {
  return Object.entries(b ?? {})
    .flatMap(([port, list]) => (list ?? []).map((x) => `${port} → ${x.HostIp ?? ""}:${x.HostPort ?? ""}`))
    .sort();
}

const list = (v: string | string[] | null | undefined): string[] | null =>
  v === null || v === undefined ? null : Array.isArray(v) ? v : [v];

/** Docker reads a PidsLimit of 0 or -1 (or none) as "unlimited". */
export const pidsLimit = (v: number | null | undefined): number | null => (v === null || v === undefined || v <= 0 ? null : v);

export function containerFacts(i: Docker.ContainerInspectInfo): ContainerFacts {
  const hc = i.HostConfig as Docker.HostConfig & {
    ReadonlyRootfs?: boolean;
    CapAdd?: string[] | null;
    CapDrop?: string[] | null;
    SecurityOpt?: string[] | null;
    PidsLimit?: number | null;
    Tmpfs?: Record<string, string> | null;
    Memory?: number | null;
    NanoCpus?: number | null;
    ExtraHosts?: string[] | null;
  };
  const config = i.Config as Docker.ContainerInspectInfo["Config"] & { StopTimeout?: number | null; WorkingDir?: string };
  return {
    name: i.Name.replace(/^\//, ""),
    imageId: i.Image,
    configImage: i.Config.Image,
    env: i.Config.Env ?? [],
    cmd: list(i.Config.Cmd),
    entrypoint: list(i.Config.Entrypoint as string | string[] | undefined),
    user: i.Config.User ?? "",
    labels: i.Config.Labels ?? {},
    exposedPorts: Object.keys(i.Config.ExposedPorts ?? {}).sort(),
    portBindings: bindingList(hc.PortBindings as Bindings),
    networkMode: hc.NetworkMode ?? "default",
    readOnly: Boolean(hc.ReadonlyRootfs),
    restartPolicy: hc.RestartPolicy?.Name || "no",
    privileged: Boolean(hc.Privileged),
    capAdd: hc.CapAdd ?? [],
    capDrop: hc.CapDrop ?? [],
    securityOpt: hc.SecurityOpt ?? [],
    pidsLimit: pidsLimit(hc.PidsLimit),
    mounts: (i.Mounts ?? []).map((m) => ({
      type: String(m.Type),
      source: m.Source ?? "",
      destination: m.Destination,
      name: m.Name ?? "",
      rw: m.RW !== false,
    })),
    workingDir: config.WorkingDir ?? "",
    stopTimeout: config.StopTimeout ?? null,
    tmpfs: hc.Tmpfs ?? {},
    memory: hc.Memory ? hc.Memory : null,
    nanoCpus: hc.NanoCpus ? hc.NanoCpus : null,
    extraHosts: [...(hc.ExtraHosts ?? [])].sort(),
  };
}

export function imageFacts(i: Docker.ImageInspectInfo): ImageFacts {
  const c = (i.Config ?? {}) as Partial<Docker.ImageInspectInfo["Config"]> & {
    Volumes?: Record<string, unknown> | null;
    ExposedPorts?: Record<string, unknown> | null;
  };
  return {
    env: c.Env ?? [],
    cmd: list(c.Cmd),
    entrypoint: list(c.Entrypoint as string | string[] | undefined),
    user: c.User ?? "",
    workingDir: c.WorkingDir ?? "",
    labels: (c.Labels as Record<string, string> | null | undefined) ?? {},
    volumes: Object.keys(c.Volumes ?? {}),
    exposedPorts: Object.keys(c.ExposedPorts ?? {}).sort(),
    repoDigests: i.RepoDigests ?? [],
  };
}
