/**
 * The create options of a release container: what startReleaseContainers asks
 * the engine for, and what the drift report expects to find running. Pure (no
 * server imports), so both share exactly one definition.
 */
import type Docker from "dockerode";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";
import type { ContainerSlot } from "./constants";
import { LABELS } from "./containerNaming";

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
  return {
    name,
    Image: pinned,
    Env: [`PORT=${listenPort}`, `CONTAINER_NAME=${name}`, ...spec.env.map((e) => `${e.name}=${e.value}`)],
    Labels: {
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
    },
  };
}
