import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { ServiceSpec, type ServiceSpecInput } from "@/server/services/serviceSpecInput";
import { containerCreateOptions } from "@/server/releases/containerConfig";
import { diffContainerConfig } from "@/server/drift/diffContainerConfig";
import { containerFacts } from "@/server/drift/inspectFacts";
import { withoutMountedPaths } from "@/server/drift/changes";
import { noexecDriverOpts } from "@/server/volumes/volumeNames";

const pinned = "127.0.0.1:5000/demo-nginx@sha256:" + "a".repeat(64);
const release = { number: 1, imageDigest: pinned };
const base = { name: "web", image: "127.0.0.1:5000/demo-nginx", placement: [{ host: "alpha", replicas: 1 }], haproxy: { backend: "web" } };
const parse = (extra: Record<string, unknown>) => ServiceSpec.safeParse({ ...base, ...extra });
const specOf = (extra: Partial<ServiceSpecInput> = {}) => ServiceSpec.parse({ ...base, ...extra });
const optionsOf = (spec: ServiceSpec) => containerCreateOptions(spec, release, pinned, "blue", "web-r1-alpha-1", 24001);

/** The issues of a refused spec as "path: message". */
function issues(extra: Record<string, unknown>): string[] {
  const r = parse(extra);
  expect(r.success).toBe(false);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("spec validation: volumes, tmpfs, command, labels", () => {
  it("refuses a relative or unnormalized target with the field path", () => {
    expect(issues({ volumes: [{ name: "data", target: "data" }] })).toContainEqual(
      expect.stringMatching(/^volumes\.0\.target: path must be absolute/),
    );
    expect(issues({ volumes: [{ name: "data", target: "/srv/../etc" }] })).toContainEqual(
      expect.stringMatching(/^volumes\.0\.target: .*'\.\.'/),
    );
    expect(issues({ tmpfs: [{ target: "/tmp/" }] })).toContainEqual(expect.stringMatching(/^tmpfs\.0\.target: .*trailing/));
    expect(issues({ workingDir: "/a//b" })).toContainEqual(expect.stringMatching(/^workingDir: .*'\/\/'/));
    expect(issues({ volumes: [{ name: "data", target: "/" }] })).toContainEqual(expect.stringMatching(/root/));
  });

  it("refuses a duplicate volume name and a duplicate target", () => {
    const found = issues({
      volumes: [
        { name: "data", target: "/a" },
        { name: "data", target: "/a" },
      ],
    });
    expect(found).toContainEqual('volumes.1.name: volume name "data" is used twice');
    expect(found).toContainEqual("volumes.1.target: volume target /a is used twice");
    expect(issues({ volumes: [{ name: "Data_1", target: "/a" }] })).toContainEqual(expect.stringMatching(/^volumes\.0\.name: volume name/));
  });

  it("refuses a tmpfs on, under or over a volume", () => {
    const vol = [{ name: "data", target: "/var/lib/app" }];
    for (const target of ["/var/lib/app", "/var/lib/app/cache", "/var/lib"]) {
      expect(issues({ volumes: vol, tmpfs: [{ target }] })).toContainEqual(
        expect.stringMatching(new RegExp(`^tmpfs\\.0\\.target: tmpfs ${target} may not be on, under or over volume "data"`)),
      );
    }
    expect(parse({ volumes: vol, tmpfs: [{ target: "/var/lib/app2" }] }).success).toBe(true);
  });

  it("refuses a command that is not a list of strings", () => {
    expect(issues({ command: "nginx -g 'daemon off;'" })).toContainEqual(
      expect.stringMatching(/^command: command must be a list of strings/),
    );
    expect(issues({ entrypoint: ["/bin/sh", 1] })).toContainEqual("entrypoint.1: entrypoint: each item must be a string");
    expect(issues({ command: [] })).toContainEqual(expect.stringMatching(/^command: command: give at least one item/));
  });

  it("refuses the reserved switchyard. label prefix", () => {
    expect(issues({ labels: { "switchyard.service": "x" } })).toContainEqual(
      'labels.switchyard.service: label switchyard.service: the "switchyard." prefix is reserved for Switchyard',
    );
    expect(issues({ labels: { "io.switchyard.release": "9" } })).toContainEqual(expect.stringMatching(/reserved/));
    expect(parse({ labels: { "team.owner": "ops" } }).success).toBe(true);
  });

  it("bounds sizes and limits", () => {
    expect(issues({ tmpfs: [{ target: "/tmp", sizeMb: 100_000 }] })).toContainEqual("tmpfs.0.sizeMb: tmpfs size: at most 4096 MB");
    expect(issues({ limits: { memoryMb: 1 } })).toContainEqual("limits.memoryMb: memory limit: at least 8 MB");
    expect(issues({ extraHosts: [{ name: "db", address: "not-an-ip" }] })).toContainEqual(expect.stringMatching(/^extraHosts\.0\.address/));
  });
});

describe("container config mapping", () => {
  const spec = specOf({
    volumes: [
      { name: "data", target: "/data" },
      { name: "conf", target: "/conf", readOnly: true, noexec: false },
    ],
    tmpfs: [{ target: "/tmp", sizeMb: 16 }],
    command: ["-g", "daemon off;"],
    entrypoint: ["/bin/start"],
    user: "65534:65534",
    workingDir: "/srv",
    extraHosts: [{ name: "db.internal", address: "127.0.0.1" }],
    limits: { pids: 128, memoryMb: 64, cpus: 0.5 },
    labels: { "team.owner": "ops" },
    stopGraceS: 20,
  });
  const opts = optionsOf(spec);

  it("maps every new field to the engine's create options", () => {
    expect(opts).toMatchObject({
      Cmd: ["-g", "daemon off;"],
      Entrypoint: ["/bin/start"],
      User: "65534:65534",
      WorkingDir: "/srv",
      StopTimeout: 20,
    });
    expect(opts.Labels).toMatchObject({ "team.owner": "ops", "io.switchyard.service": "web" });
    expect(opts.HostConfig).toMatchObject({
      Mounts: [
        { Type: "volume", Source: "web-data.noexec", Target: "/data", ReadOnly: false },
        { Type: "volume", Source: "web-conf", Target: "/conf", ReadOnly: true },
      ],
      Tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=16m" },
      ExtraHosts: ["db.internal:127.0.0.1"],
      Memory: 64 * 1024 * 1024,
      NanoCpus: 500_000_000,
      PidsLimit: 128,
      ReadonlyRootfs: true,
    });
  });

  it("adds nothing for a spec without the new fields (old releases keep comparing equal)", () => {
    const o = optionsOf(specOf());
    for (const k of ["Cmd", "Entrypoint", "User", "WorkingDir", "StopTimeout"]) expect(o).not.toHaveProperty(k);
    for (const k of ["Mounts", "Tmpfs", "ExtraHosts", "Memory", "NanoCpus"]) expect(o.HostConfig).not.toHaveProperty(k);
  });

  it("builds the noexec overlay from the data volume's directory", () => {
    expect(noexecDriverOpts("/var/lib/docker", "web", "data")).toEqual({
      type: "overlay",
      device: "overlay",
      o: "noexec,nosuid,nodev,lowerdir=/var/lib/docker/volumes/web-data.noexec/_data,upperdir=/var/lib/docker/volumes/web-data/_data,workdir=/var/lib/docker/volumes/web-data.work/_data",
    });
  });

  /** What dockerd 20.10 answers for a container created from `opts`, with overrides. */
  function inspected(
    o: Docker.ContainerCreateOptions,
    config: Record<string, unknown> = {},
    host: Record<string, unknown> = {},
  ): Docker.ContainerInspectInfo {
    return {
      Name: `/${o.name}`,
      Image: "sha256:" + "b".repeat(64),
      Config: {
        Image: o.Image,
        Env: o.Env,
        Labels: o.Labels,
        Cmd: o.Cmd,
        Entrypoint: o.Entrypoint,
        User: o.User,
        WorkingDir: o.WorkingDir,
        StopTimeout: o.StopTimeout,
        ...config,
      },
      HostConfig: { ...o.HostConfig, ...host },
      Mounts: (o.HostConfig!.Mounts ?? []).map((m) => ({
        Type: "volume",
        Name: m.Source,
        Source: `/var/lib/docker/volumes/${m.Source}/_data`,
        Destination: m.Target,
        RW: !m.ReadOnly,
      })),
    } as unknown as Docker.ContainerInspectInfo;
  }

  it("drift: clean as created; each hand change of a new field is a finding", () => {
    const real = (o: Docker.ContainerInspectInfo) => diffContainerConfig(opts, new Set(), containerFacts(o), null).filter((f) => !f.info);
    expect(real(inspected(opts))).toEqual([]);
    const changed = inspected(
      opts,
      { Cmd: ["-g", "daemon off; worker_processes 8;"], WorkingDir: "/", StopTimeout: 1 },
      { Tmpfs: { "/tmp": "rw,size=16m" }, Memory: 0, NanoCpus: 2e9, ExtraHosts: ["db.internal:10.0.0.1"] },
    );
    (changed.Mounts as unknown as { RW: boolean }[])[1]!.RW = true;
    const keys = real(changed)
      .map((f) => f.key)
      .sort();
    expect(keys).toEqual(
      [
        "config:cmd",
        "config:workingDir",
        "config:limits:stopTimeout",
        "config:tmpfs:/tmp",
        "config:limits:memory",
        "config:limits:nanoCpus",
        "config:extraHosts",
        "config:mounts:/conf",
      ].sort(),
    );
  });

  it("filesystem drift leaves out everything under a volume or tmpfs target", () => {
    const changes = withoutMountedPaths(
      [
        [0, "/var/lib"],
        [1, "/data/x"],
        [1, "/data"],
        [1, "/tmp/nginx.pid"],
        [1, "/database"],
        [0, "/etc/nginx/nginx.conf"],
      ],
      ["/data", "/tmp", "/var/lib/app"],
    );
    expect(changes).toEqual([
      [1, "/database"],
      [0, "/etc/nginx/nginx.conf"],
    ]);
  });
});
