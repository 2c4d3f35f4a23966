/**
 * Config drift, pure: the running container against what Switchyard created
 * (the release's create options, on top of the image's own config, as Docker
 * merges them). Secret values never leave this function.
 */
import type Docker from "dockerode";
import { envMap, findingKey, sameList, show, type Finding } from "./findings";
import { bindingList, pidsLimit, type ContainerFacts, type ImageFacts } from "./inspectFacts";

const f = (field: string, message: string, item?: string, expected?: unknown, actual?: unknown): Finding => ({
  key: findingKey("config", field, item),
  category: "config",
  field,
  message,
  ...(expected !== undefined ? { expected: show(expected) } : {}),
  ...(actual !== undefined ? { actual: show(actual) } : {}),
});

function diffEnv(
  expected: Docker.ContainerCreateOptions,
  secret: Set<string>,
  actual: ContainerFacts,
  image: ImageFacts | null,
): Finding[] {
  const want = new Map([...envMap(image?.env), ...envMap(expected.Env)]);
  const have = envMap(actual.env);
  const out: Finding[] = [];
  for (const [name, value] of want) {
    const got = have.get(name);
    if (got === undefined)
      out.push(secret.has(name) ? f("env", `env ${name} (secret): missing`, name) : f("env", `env ${name}: missing`, name, value, null));
    else if (got !== value)
      out.push(
        secret.has(name) ? f("env", `env ${name} (secret): value differs`, name) : f("env", `env ${name}: value differs`, name, value, got),
      );
  }
  if (image) {
    for (const name of have.keys()) {
      if (!want.has(name)) out.push(f("env", `env ${name}: set on the container, not in the release (value not shown)`, name));
    }
  }
  return out;
}

function diffLabels(expected: Docker.ContainerCreateOptions, actual: ContainerFacts, image: ImageFacts | null): Finding[] {
  const want: Record<string, string> = { ...(image?.labels ?? {}), ...(expected.Labels ?? {}) };
  const out: Finding[] = [];
  for (const [k, v] of Object.entries(want)) {
    if (!(k in actual.labels)) out.push(f("labels", `label ${k}: missing`, k, v, null));
    else if (actual.labels[k] !== v) out.push(f("labels", `label ${k}: value differs`, k, v, actual.labels[k]));
  }
  if (image)
    for (const k of Object.keys(actual.labels))
      if (!(k in want)) out.push(f("labels", `label ${k}: not in the release`, k, null, actual.labels[k]));
  return out;
}

function diffProcess(expected: Docker.ContainerCreateOptions, actual: ContainerFacts, image: ImageFacts | null): Finding[] {
  const out: Finding[] = [];
  const wantEntrypoint = expected.Entrypoint !== undefined ? [expected.Entrypoint].flat() : image?.entrypoint;
  const wantCmd = expected.Cmd !== undefined ? [expected.Cmd].flat() : expected.Entrypoint !== undefined ? null : image?.cmd;
  const wantUser = expected.User ?? image?.user;
  if (wantEntrypoint !== undefined && !sameList(wantEntrypoint, actual.entrypoint))
    out.push(f("entrypoint", "entrypoint differs", undefined, wantEntrypoint, actual.entrypoint));
  if (wantCmd !== undefined && !sameList(wantCmd, actual.cmd)) out.push(f("cmd", "command differs", undefined, wantCmd, actual.cmd));
  if (wantUser !== undefined && wantUser !== actual.user)
    out.push(f("user", "user differs", undefined, wantUser || "(image default: root)", actual.user || "(root)"));
  const wantDir = expected.WorkingDir ?? image?.workingDir;
  if (wantDir !== undefined && wantDir !== actual.workingDir)
    out.push(f("workingDir", "working directory differs", undefined, wantDir || "(/)", actual.workingDir || "(/)"));
  const wantStop = expected.StopTimeout ?? null;
  if (wantStop !== actual.stopTimeout)
    out.push(f("limits", "stop grace period differs", "stopTimeout", wantStop ?? "engine default", actual.stopTimeout ?? "engine default"));
  return out;
}

/** "cap_net_raw", "CAP_NET_RAW" and "NET_RAW" are one capability to the engine; sorted, without repeats. */
export function capabilityList(caps: readonly string[] | null | undefined): string[] {
  return [...new Set((caps ?? []).map((c) => c.trim().toUpperCase().replace(/^CAP_/, "")))].sort();
}

/** Security options as the engine applies them: "no-new-privileges[:=]true" is "no-new-privileges", ":false" is nothing. */
export function securityOptList(opts: readonly string[] | null | undefined): string[] {
  const out = new Set<string>();
  for (const o of opts ?? []) {
    const m = /^no-new-privileges(?:[:=](.*))?$/.exec(o.trim());
    if (!m) out.add(o.trim());
    else if (m[1] === undefined || m[1] === "true") out.add("no-new-privileges");
  }
  return [...out].sort();
}

const NO_NEW_PRIVILEGES = "no-new-privileges";

/** Capabilities, security options, privileged mode and the process limit: what a container may do to its host. */
function diffPrivileges(hc: Docker.HostConfig, actual: ContainerFacts): Finding[] {
  const out: Finding[] = [];
  if (Boolean(hc.Privileged) !== actual.privileged) {
    out.push(
      f(
        "privileges",
        actual.privileged ? "runs privileged (every capability, every device)" : "privileged mode differs",
        "privileged",
        Boolean(hc.Privileged),
        actual.privileged,
      ),
    );
  }
  const wantAdd = capabilityList(hc.CapAdd);
  const haveAdd = capabilityList(actual.capAdd);
  if (!sameList(wantAdd, haveAdd)) {
    const extra = haveAdd.filter((c) => !wantAdd.includes(c));
    const message = extra.length ? `capabilities added that the release does not grant: ${extra.join(", ")}` : "added capabilities differ";
    out.push(f("privileges", message, "capAdd", wantAdd, haveAdd));
  }
  const wantDrop = capabilityList(hc.CapDrop);
  const haveDrop = capabilityList(actual.capDrop);
  if (!sameList(wantDrop, haveDrop)) {
    const message =
      wantDrop.includes("ALL") && !haveDrop.includes("ALL")
        ? "capabilities not dropped: the release drops ALL"
        : "dropped capabilities differ";
    out.push(f("privileges", message, "capDrop", wantDrop, haveDrop));
  }
  const wantOpt = securityOptList(hc.SecurityOpt);
  const haveOpt = securityOptList(actual.securityOpt);
  if (!sameList(wantOpt, haveOpt)) {
    const message =
      wantOpt.includes(NO_NEW_PRIVILEGES) && !haveOpt.includes(NO_NEW_PRIVILEGES)
        ? "no-new-privileges is off: a process may gain privileges through setuid binaries"
        : "security options differ";
    out.push(f("privileges", message, "securityOpt", wantOpt, haveOpt));
  }
  const wantPids = pidsLimit(hc.PidsLimit);
  if (wantPids !== actual.pidsLimit)
    out.push(f("limits", "pids limit differs", "pids", wantPids ?? "unlimited", actual.pidsLimit ?? "unlimited"));
  const wantMemory = hc.Memory ? hc.Memory : null;
  if (wantMemory !== actual.memory)
    out.push(f("limits", "memory limit differs", "memory", wantMemory ?? "unlimited", actual.memory ?? "unlimited"));
  const wantCpus = hc.NanoCpus ? hc.NanoCpus : null;
  if (wantCpus !== actual.nanoCpus)
    out.push(f("limits", "cpu limit differs", "nanoCpus", wantCpus ?? "unlimited", actual.nanoCpus ?? "unlimited"));
  return out;
}

/** Volume and tmpfs mounts the release asks for, against the container's; `imageVolumes` are the image's own anonymous volumes. */
function diffMounts(hc: Docker.HostConfig, actual: ContainerFacts, imageVolumes: Set<string> | null): Finding[] {
  const out: Finding[] = [];
  const want = new Map((hc.Mounts ?? []).map((m) => [m.Target, m]));
  for (const [target, m] of want) {
    const have = actual.mounts.find((a) => a.destination === target);
    const show = `volume ${m.Source ?? ""} → ${target}${m.ReadOnly ? " (read-only)" : ""}`;
    if (!have) out.push(f("mounts", `mount ${target}: missing`, target, show, null));
    else if (have.type !== "volume" || have.name !== m.Source || have.rw === Boolean(m.ReadOnly)) {
      out.push(
        f(
          "mounts",
          `mount ${target}: differs`,
          target,
          show,
          `${have.type} ${have.name || have.source} → ${target}${have.rw ? "" : " (read-only)"}`,
        ),
      );
    }
  }
  for (const m of actual.mounts) {
    if (want.has(m.destination)) continue;
    if (imageVolumes ? m.type === "volume" && imageVolumes.has(m.destination) : m.type !== "bind") continue;
    out.push(
      f(
        "mounts",
        `mount ${m.destination}: not in the release`,
        m.destination,
        null,
        `${m.type} ${m.source || "(anonymous)"} → ${m.destination}`,
      ),
    );
  }
  const wantTmpfs = hc.Tmpfs ?? {};
  for (const t of new Set([...Object.keys(wantTmpfs), ...Object.keys(actual.tmpfs)])) {
    if (wantTmpfs[t] === actual.tmpfs[t]) continue;
    out.push(
      f(
        "tmpfs",
        !(t in actual.tmpfs) ? `tmpfs ${t}: missing` : !(t in wantTmpfs) ? `tmpfs ${t}: not in the release` : `tmpfs ${t}: options differ`,
        t,
        wantTmpfs[t] ?? null,
        actual.tmpfs[t] ?? null,
      ),
    );
  }
  return out;
}

function diffHost(expected: Docker.ContainerCreateOptions, actual: ContainerFacts, image: ImageFacts | null): Finding[] {
  const hc = expected.HostConfig ?? {};
  const out: Finding[] = [];
  const netMode = hc.NetworkMode ?? "default";
  if (netMode !== actual.networkMode) out.push(f("network", "network mode differs", undefined, netMode, actual.networkMode));
  if (Boolean(hc.ReadonlyRootfs) !== actual.readOnly)
    out.push(f("readOnly", "read-only root filesystem differs", undefined, Boolean(hc.ReadonlyRootfs), actual.readOnly));
  const restart = hc.RestartPolicy?.Name || "no";
  if (restart !== actual.restartPolicy) out.push(f("restart", "restart policy differs", undefined, restart, actual.restartPolicy));
  out.push(...diffPrivileges(hc, actual));
  const bindings = bindingList(hc.PortBindings as Parameters<typeof bindingList>[0]);
  if (!sameList(bindings, actual.portBindings)) out.push(f("ports", "published ports differ", "bindings", bindings, actual.portBindings));
  if (image) {
    const exposed = [...new Set([...image.exposedPorts, ...Object.keys(expected.ExposedPorts ?? {})])].sort();
    if (!sameList(exposed, actual.exposedPorts)) out.push(f("ports", "exposed ports differ", "exposed", exposed, actual.exposedPorts));
  }
  out.push(...diffMounts(hc, actual, image ? new Set(image.volumes) : null));
  const hosts = [...(hc.ExtraHosts ?? [])].sort();
  if (!sameList(hosts, actual.extraHosts))
    out.push(f("extraHosts", "extra /etc/hosts entries differ", undefined, hosts, actual.extraHosts));
  return out;
}

/** Every difference between the container and its release; `image` null when the engine no longer has the image. */
export function diffContainerConfig(
  expected: Docker.ContainerCreateOptions,
  secretEnv: Set<string>,
  actual: ContainerFacts,
  image: ImageFacts | null,
): Finding[] {
  const out: Finding[] = [];
  if (expected.name && expected.name !== actual.name) out.push(f("name", "container name differs", undefined, expected.name, actual.name));
  out.push(
    ...diffEnv(expected, secretEnv, actual, image),
    ...diffProcess(expected, actual, image),
    ...diffLabels(expected, actual, image),
    ...diffHost(expected, actual, image),
  );
  if (!image)
    out.push({
      key: "config:image-config",
      category: "config",
      field: "image",
      message: "the engine no longer has the image's config: only what Switchyard sets was compared",
      info: true,
    });
  return out;
}
