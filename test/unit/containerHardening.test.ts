import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { ServiceSpec, type ServiceSpecInput } from "@/server/services/serviceSpecInput";
import { containerCreateOptions } from "@/server/releases/containerConfig";
import { diffContainerConfig } from "@/server/drift/diffContainerConfig";
import { containerFacts } from "@/server/drift/inspectFacts";

const pinned = "127.0.0.1:5000/demo-web@sha256:" + "a".repeat(64);
const release = { number: 1, imageDigest: pinned };
const specOf = (extra: Partial<ServiceSpecInput> = {}) =>
  ServiceSpec.parse({
    name: "web",
    image: "127.0.0.1:5000/demo-web",
    placement: [{ host: "alpha", replicas: 1 }],
    haproxy: { backend: "web" },
    ...extra,
  });
const optionsOf = (spec: ServiceSpec) => containerCreateOptions(spec, release, pinned, "blue", "web-r1-alpha-1", 24001);

/** An engine inspect of a container created from `opts` (what dockerd 20.10 answers), with `host` overriding HostConfig fields. */
function inspected(opts: Docker.ContainerCreateOptions, host: Record<string, unknown> = {}): Docker.ContainerInspectInfo {
  return {
    Name: `/${opts.name}`,
    Image: "sha256:" + "b".repeat(64),
    Config: { Image: opts.Image, Env: opts.Env, Labels: opts.Labels, Cmd: null, Entrypoint: null, User: "" },
    HostConfig: { ...opts.HostConfig, ...host },
    Mounts: [],
  } as unknown as Docker.ContainerInspectInfo;
}

describe("release container hardening", () => {
  it("drops every capability, sets no-new-privileges and a pids limit of 256 by default, adds nothing", () => {
    const spec = specOf();
    expect(spec).toMatchObject({ netBindService: false, limits: { pids: 256 } });
    const hc = optionsOf(spec).HostConfig!;
    expect(hc.CapDrop).toEqual(["ALL"]);
    expect(hc.CapAdd).toEqual([]);
    expect(hc.SecurityOpt).toEqual(["no-new-privileges"]);
    expect(hc.PidsLimit).toBe(256);
    expect(hc.Privileged).toBe(false);
  });

  it("adds NET_BIND_SERVICE only when the spec asks, and takes the pids limit from the spec", () => {
    const hc = optionsOf(specOf({ netBindService: true, limits: { pids: 64 } })).HostConfig!;
    expect(hc.CapAdd).toEqual(["NET_BIND_SERVICE"]);
    expect(hc.CapDrop).toEqual(["ALL"]);
    expect(hc.PidsLimit).toBe(64);
  });

  it("the spec pins the hardening: a stored release spec parses back to the same create options", () => {
    const spec = specOf({ netBindService: true, limits: { pids: 100 } });
    const stored = JSON.parse(JSON.stringify(spec)) as unknown;
    expect(stored).toMatchObject({ netBindService: true, limits: { pids: 100 } });
    expect(optionsOf(ServiceSpec.parse(stored))).toEqual(optionsOf(spec));
  });

  it("refuses a pids limit that is not a sane whole number", () => {
    expect(ServiceSpec.safeParse({ ...specOf(), limits: { pids: 4 } }).success).toBe(false);
    expect(ServiceSpec.safeParse({ ...specOf(), limits: { pids: 1.5 } }).success).toBe(false);
    expect(ServiceSpec.safeParse({ ...specOf(), limits: { pids: 100, cpu: 1 } }).success).toBe(false);
  });
});

describe("privilege drift", () => {
  const expected = optionsOf(specOf());
  const findings = (host: Record<string, unknown>) =>
    diffContainerConfig(expected, new Set(), containerFacts(inspected(expected, host)), null).filter((f) => !f.info);

  it("a container as Switchyard created it has no finding, however the engine spells the same settings", () => {
    expect(findings({})).toEqual([]);
    expect(findings({ CapDrop: ["all"], CapAdd: null, SecurityOpt: ["no-new-privileges:true"] })).toEqual([]);
  });

  it("reports a container started without the hardening, with clear labels", () => {
    const found = findings({ CapDrop: null, CapAdd: ["CAP_NET_RAW"], SecurityOpt: null, PidsLimit: 0, Privileged: true });
    expect(found.map((f) => f.key).sort()).toEqual(
      [
        "config:limits:pids",
        "config:privileges:capAdd",
        "config:privileges:capDrop",
        "config:privileges:privileged",
        "config:privileges:securityOpt",
      ].sort(),
    );
    const by = (key: string) => found.find((f) => f.key === key);
    expect(by("config:privileges:capDrop")).toMatchObject({
      message: "capabilities not dropped: the release drops ALL",
      expected: '["ALL"]',
      actual: "[]",
    });
    expect(by("config:privileges:capAdd")).toMatchObject({ message: "capabilities added that the release does not grant: NET_RAW" });
    expect(by("config:privileges:securityOpt")?.message).toMatch(/^no-new-privileges is off/);
    expect(by("config:privileges:privileged")?.message).toMatch(/runs privileged/);
    expect(by("config:limits:pids")).toMatchObject({ message: "pids limit differs", expected: "256", actual: "unlimited" });
  });

  it("an explicit no-new-privileges:false counts as off", () => {
    expect(findings({ SecurityOpt: ["no-new-privileges:false"] }).map((f) => f.key)).toEqual(["config:privileges:securityOpt"]);
  });
});
