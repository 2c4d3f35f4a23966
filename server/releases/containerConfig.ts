/**
 * The create options of a release container: what startReleaseContainers asks
 * the engine for, and what the drift report expects to find running. Pure (no
 * server imports), so both share exactly one definition.
 */
import type Docker from "dockerode";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";
import type { ContainerSlot } from "./constants";
import { LABELS } from "./containerNaming";
import { mountedVolumeName } from "@/server/volumes/volumeNames";

/**
 * Least privilege for every container Switchyard starts: no Linux capability
 * (NET_BIND_SERVICE back only when the spec asks for it, for ports below
 * 1024), no privilege gain through setuid binaries or file capabilities
 * (no-new-privileges), and a process limit. Part of the release spec, so a
 * replay starts its containers exactly as the release did.
 */
export function containerHardening(spec: Pick<ServiceSpec, "netBindService" | "limits">) {
  return {
    CapDrop: ["ALL"],
    CapAdd: spec.netBindService ? ["NET_BIND_SERVICE"] : [],
    SecurityOpt: ["no-new-privileges"],
    PidsLimit: spec.limits.pids,
    Privileged: false,
  };
}

/** tmpfs mounts never hold programs or devices: noexec, nosuid, nodev, and a size cap. */
export function tmpfsOptions(sizeMb: number): string {
  return `rw,noexec,nosuid,nodev,size=${sizeMb}m`;
}

/**
 * Volumes, tmpfs, process, hosts and limits from the spec. A field left at its
 * default adds nothing, so containers of releases made before these fields
 * existed compare equal in the drift report.
 */
export function runtimeOptions(spec: ServiceSpec) {
  const config: Pick<Docker.ContainerCreateOptions, "Cmd" | "Entrypoint" | "User" | "WorkingDir" | "StopTimeout"> = {};
  if (spec.command) config.Cmd = spec.command;
  if (spec.entrypoint) config.Entrypoint = spec.entrypoint;
  if (spec.user) config.User = spec.user;
  if (spec.workingDir) config.WorkingDir = spec.workingDir;
  if (spec.stopGraceS !== null) config.StopTimeout = spec.stopGraceS;
  const host: Pick<Docker.HostConfig, "Mounts" | "Tmpfs" | "ExtraHosts" | "Memory" | "NanoCpus"> = {};
  if (spec.volumes.length) {
    host.Mounts = spec.volumes.map((v) => ({
      Type: "volume" as const,
      Source: mountedVolumeName(spec.name, v),
      Target: v.target,
      ReadOnly: v.readOnly,
    }));
  }
  if (spec.tmpfs.length) host.Tmpfs = Object.fromEntries(spec.tmpfs.map((t) => [t.target, tmpfsOptions(t.sizeMb)]));
  if (spec.extraHosts.length) host.ExtraHosts = spec.extraHosts.map((h) => `${h.name}:${h.address}`);
  if (spec.limits.memoryMb !== undefined) host.Memory = spec.limits.memoryMb * 1024 * 1024;
  if (spec.limits.cpus !== undefined) host.NanoCpus = Math.round(spec.limits.cpus * 1e9);
  return { config, host };
}

export type ContainerConfigRelease = { number: number; imageDigest: string | null };

export function containerCreateOptions(
  spec: ServiceSpec,
  release: ContainerConfigRelease,
  pinned: string,
  slot: ContainerSlot,
  name: string,
  port: number,
): Docker.ContainerCreateOptions {
  const hostNetworking = spec.port.mode === "env";
  const listenPort = hostNetworking ? port : spec.port.containerPort;
  const portKey = `${spec.port.containerPort}/tcp`;
  const runtime = runtimeOptions(spec);
  return {
    name,
    Image: pinned,
    ...runtime.config,
    Env: [`PORT=${listenPort}`, `CONTAINER_NAME=${name}`, ...spec.env.map((e) => `${e.name}=${e.value}`)],
    Labels: {
      ...spec.labels,
      [LABELS.managed]: "true",
      [LABELS.service]: spec.name,
      [LABELS.release]: String(release.number),
      [LABELS.slot]: slot,
      [LABELS.digest]: release.imageDigest ?? "",
    },
    ExposedPorts: hostNetworking ? undefined : { [portKey]: {} },
    HostConfig: {
      NetworkMode: hostNetworking ? "host" : "bridge",
      PortBindings: hostNetworking ? undefined : { [portKey]: [{ HostIp: "", HostPort: String(port) }] },
      ReadonlyRootfs: spec.readOnlyRootFs,
      RestartPolicy: { Name: "unless-stopped" },
      ...containerHardening(spec),
      ...runtime.host,
    },
  };
}
