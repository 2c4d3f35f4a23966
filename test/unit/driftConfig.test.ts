import { describe, expect, it } from "vitest";
import { ServiceSpec } from "@/server/services/serviceSpecInput";
import { containerCreateOptions } from "@/server/releases/containerConfig";
import { diffContainerConfig } from "@/server/drift/diffContainerConfig";
import type { ContainerFacts, ImageFacts } from "@/server/drift/inspectFacts";
import { imageFindings, tagFinding, hasTag } from "@/server/drift/imageDrift";

const spec = ServiceSpec.parse({
  name: "web",
  image: "127.0.0.1:5000/demo-web",
  placement: [{ host: "alpha", replicas: 1 }],
  env: [
    { name: "GREETING", value: "hello" },
    { name: "API_KEY", value: "s3cr3t-value", secret: true },
  ],
  haproxy: { backend: "web" },
});
const pinned = "127.0.0.1:5000/demo-web@sha256:" + "a".repeat(64);
const release = { number: 3, imageDigest: pinned };
const expected = containerCreateOptions(spec, release, pinned, "blue", "web-r3-alpha-1", 24001);

const image: ImageFacts = {
  env: ["PATH=/bin"],
  cmd: ["/bin/start"],
  entrypoint: null,
  user: "65534:65534",
  workingDir: "",
  labels: { "org.opencontainers.image.title": "demo-web" },
  volumes: [],
  exposedPorts: [],
  repoDigests: [pinned],
};

/** What the engine reports for a container created from `expected` on `image`. */
function asCreated(): ContainerFacts {
  return {
    name: "web-r3-alpha-1",
    imageId: "sha256:" + "b".repeat(64),
    configImage: pinned,
    env: [...expected.Env!, "PATH=/bin"],
    cmd: ["/bin/start"],
    entrypoint: null,
    user: "65534:65534",
    labels: { ...image.labels, ...expected.Labels },
    exposedPorts: [],
    portBindings: [],
    networkMode: "host",
    readOnly: true,
    restartPolicy: "unless-stopped",
    privileged: false,
    capAdd: [],
    capDrop: ["ALL"],
    securityOpt: ["no-new-privileges"],
    pidsLimit: 256,
    mounts: [],
    workingDir: "",
    stopTimeout: null,
    tmpfs: {},
    memory: null,
    nanoCpus: null,
    extraHosts: [],
  };
}

const secrets = new Set(["API_KEY"]);

describe("config drift", () => {
  it("finds nothing on a container exactly as Switchyard created it", () => {
    expect(diffContainerConfig(expected, secrets, asCreated(), image)).toEqual([]);
  });

  it("reports env, command, user, labels, mounts, network and read-only differences with stable keys", () => {
    const c = asCreated();
    c.env = c.env.map((e) => (e.startsWith("GREETING=") ? "GREETING=hacked" : e)).concat("DEBUG=1");
    c.cmd = ["/bin/sh"];
    c.user = "0";
    c.labels = { ...c.labels, extra: "x" };
    c.mounts = [{ type: "bind", source: "/etc", destination: "/host-etc", name: "", rw: true }];
    c.networkMode = "none";
    c.readOnly = false;
    c.privileged = true;
    const found = diffContainerConfig(expected, secrets, c, image);
    expect(found.map((f) => f.key).sort()).toEqual(
      [
        "config:cmd",
        "config:env:DEBUG",
        "config:env:GREETING",
        "config:labels:extra",
        "config:mounts:/host-etc",
        "config:network",
        "config:privileges:privileged",
        "config:readOnly",
        "config:user",
      ].sort(),
    );
    expect(found.find((f) => f.key === "config:env:GREETING")).toMatchObject({ expected: "hello", actual: "hacked" });
    expect(found.find((f) => f.key === "config:env:DEBUG")?.actual).toBeUndefined();
  });

  it("never reveals a secret value: a changed secret is 'value differs', nothing more", () => {
    const c = asCreated();
    c.env = c.env.map((e) => (e.startsWith("API_KEY=") ? "API_KEY=other-value" : e));
    const found = diffContainerConfig(expected, secrets, c, image);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ key: "config:env:API_KEY", message: "env API_KEY (secret): value differs" });
    expect(JSON.stringify(found)).not.toMatch(/s3cr3t-value|other-value/);
    c.env = c.env.filter((e) => !e.startsWith("API_KEY="));
    expect(JSON.stringify(diffContainerConfig(expected, secrets, c, image))).not.toMatch(/s3cr3t/);
  });

  it("without the image's config, compares only what Switchyard sets and says so", () => {
    const c = asCreated();
    c.env.push("EXTRA=1");
    const found = diffContainerConfig(expected, secrets, c, null);
    expect(found.map((f) => f.key)).toEqual(["config:image-config"]);
    expect(found[0]?.info).toBe(true);
  });
});

describe("image drift", () => {
  const rel = { imageRef: "127.0.0.1:5000/demo-web:1.0.0", imageDigest: pinned, imageId: "sha256:" + "b".repeat(64) };
  it("checks the image ID against the release and the pinned digest against RepoDigests", () => {
    expect(imageFindings(rel, { imageId: rel.imageId, configImage: pinned }, [pinned])).toEqual([]);
    const other = imageFindings(rel, { imageId: "sha256:" + "c".repeat(64), configImage: "127.0.0.1:5000/demo-web:1.0.0" }, [
      "127.0.0.1:5000/demo-web@sha256:" + "d".repeat(64),
    ]);
    expect(other.map((f) => f.key)).toEqual(["image:id", "image:digest", "image:reference"]);
    expect(imageFindings(rel, { imageId: rel.imageId, configImage: pinned }, null).every((f) => f.info)).toBe(true);
  });

  it("a moved tag is informational; a tag still on the pinned digest is nothing", () => {
    expect(tagFinding(rel, { digest: "sha256:" + "a".repeat(64) })).toBeNull();
    expect(tagFinding(rel, { digest: "sha256:" + "e".repeat(64) })).toMatchObject({ key: "registry:tag", info: true });
    expect(tagFinding(rel, { error: "registry down" })).toMatchObject({ key: "registry:unchecked", info: true });
    expect(hasTag("127.0.0.1:5000/demo-web:1.0.0")).toBe(true);
    expect(hasTag("127.0.0.1:5000/demo-web")).toBe(false);
    expect(hasTag(pinned)).toBe(false);
  });
});
