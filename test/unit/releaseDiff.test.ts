/**
 * Issue 11, "Config as a release": the diff between two releases. Before,
 * there was none (server/releases/releaseDiff.ts did not exist).
 */
import { describe, expect, it } from "vitest";
import { describeChange, releaseDiff, specChanges } from "@/server/releases/releaseDiff";
import { DeployInput, SECRET_MASK, ServiceSpec } from "@/server/services/serviceSpecInput";

const spec = (over: Record<string, unknown> = {}) =>
  ServiceSpec.parse({
    name: "web",
    image: "registry:5000/web",
    placement: [{ host: "alpha", replicas: 1 }],
    haproxy: { backend: "web" },
    env: [
      { name: "LOG_LEVEL", value: "info" },
      { name: "API_TOKEN", value: "s3cret-one", secret: true },
    ],
    ...over,
  });
const D1 = "registry:5000/web@sha256:" + "1".repeat(64);
const D2 = "registry:5000/web@sha256:" + "2".repeat(64);

describe("releaseDiff", () => {
  it("finds nothing between equal specs and the same digest", () => {
    const d = releaseDiff({ number: 1, imageDigest: D1, spec: spec() }, { number: 2, imageDigest: D1, spec: spec() });
    expect(d).toEqual({ from: 1, to: 2, imageDigest: { before: D1, after: D1, changed: false }, changes: [] });
  });

  it("reports an image digest change", () => {
    const d = releaseDiff({ number: 1, imageDigest: D1, spec: spec() }, { number: 2, imageDigest: D2, spec: spec() });
    expect(d.imageDigest).toEqual({ before: D1, after: D2, changed: true });
    expect(d.changes).toEqual([]);
  });

  it("reports an env change by name, at env.NAME", () => {
    const after = spec({
      env: [
        { name: "LOG_LEVEL", value: "debug" },
        { name: "API_TOKEN", value: "s3cret-one", secret: true },
      ],
    });
    expect(specChanges(spec(), after)).toEqual([{ path: "env.LOG_LEVEL", change: "changed", before: "info", after: "debug" }]);
  });

  it("compares env by name, not position: reordering is no change, adding and removing are", () => {
    const reordered = spec({
      env: [
        { name: "API_TOKEN", value: "s3cret-one", secret: true },
        { name: "LOG_LEVEL", value: "info" },
      ],
    });
    expect(specChanges(spec(), reordered)).toEqual([]);
    const added = spec({
      env: [
        { name: "LOG_LEVEL", value: "info" },
        { name: "FEATURE", value: "on" },
      ],
    });
    expect(specChanges(spec(), added)).toEqual([
      { path: "env.API_TOKEN", change: "removed", before: { name: "API_TOKEN", value: SECRET_MASK, secret: true } },
      { path: "env.FEATURE", change: "added", after: { name: "FEATURE", value: "on", secret: false } },
    ]);
  });

  it("reports a limit and a nested health check field by path", () => {
    const after = spec({ limits: { pids: 512 }, healthCheck: { intervalMs: 250 } });
    expect(specChanges(spec(), after)).toEqual([
      { path: "healthCheck.intervalMs", change: "changed", before: 500, after: 250 },
      { path: "limits.pids", change: "changed", before: 256, after: 512 },
    ]);
  });

  it("shows a changed secret as changed, never its values", () => {
    const after = spec({
      env: [
        { name: "LOG_LEVEL", value: "info" },
        { name: "API_TOKEN", value: "s3cret-two", secret: true },
      ],
    });
    const changes = specChanges(spec(), after);
    expect(changes).toEqual([{ path: "env.API_TOKEN", change: "changed", secret: true }]);
    expect(JSON.stringify(changes)).not.toMatch(/s3cret/);
    expect(describeChange(changes[0]!)).toBe("env.API_TOKEN: changed (secret)");
  });

  it("never shows a value that becomes secret, nor one that stops being secret", () => {
    const plain = spec({ env: [{ name: "API_TOKEN", value: "visible-before" }] });
    const secret = spec({ env: [{ name: "API_TOKEN", value: "hidden-after", secret: true }] });
    for (const [a, b] of [
      [plain, secret],
      [secret, plain],
    ] as const) {
      const changes = specChanges(a, b);
      expect(changes).toContainEqual({ path: "env.API_TOKEN", change: "changed", secret: true });
      expect(JSON.stringify(changes)).not.toMatch(/visible-before|hidden-after/);
    }
  });

  it("compares placement by host, and reports hosts added", () => {
    const after = spec({
      placement: [
        { host: "alpha", replicas: 2 },
        { host: "beta", replicas: 1 },
      ],
    });
    expect(specChanges(spec(), after)).toEqual([
      { path: "placement.alpha.replicas", change: "changed", before: 1, after: 2 },
      { path: "placement.beta", change: "added", after: { host: "beta", replicas: 1 } },
    ]);
  });

  it("walks fields it does not know (new spec fields need no change here)", () => {
    const before = {
      name: "db",
      volumes: [{ name: "data", target: "/var/lib/db", readOnly: false }],
      command: ["redis-server"],
      tmpfs: [{ target: "/tmp", sizeMb: 16 }],
    };
    const after = {
      name: "db",
      volumes: [{ name: "data", target: "/data", readOnly: false }],
      command: ["redis-server", "--appendonly", "yes"],
      tmpfs: [{ target: "/tmp", sizeMb: 64 }],
      user: "999",
    };
    expect(specChanges(before, after)).toEqual([
      { path: "volumes.data.target", change: "changed", before: "/var/lib/db", after: "/data" },
      { path: "command", change: "changed", before: ["redis-server"], after: ["redis-server", "--appendonly", "yes"] },
      { path: "tmpfs./tmp.sizeMb", change: "changed", before: 16, after: 64 },
      { path: "user", change: "added", after: "999" },
    ]);
  });

  it("reports optional objects appearing or going whole (haproxy routing removed)", () => {
    const noRouting = spec({ haproxy: undefined });
    expect(specChanges(spec(), noRouting)).toEqual([{ path: "haproxy", change: "removed", before: { backend: "web" } }]);
  });
});

describe("releaseDiff on a whole spec appearing", () => {
  it("masks every secret inside a value shown whole", () => {
    const changes = specChanges({}, spec());
    expect(JSON.stringify(changes)).not.toMatch(/s3cret/);
    expect(changes.find((c) => c.path === "env")?.after).toContainEqual({ name: "API_TOKEN", value: SECRET_MASK, secret: true });
  });
});

describe("DeployInput: Deploy spec change is the third exclusive choice", () => {
  it("takes { specChange: true } alone, and refuses it with an image or a replay, or as false", () => {
    expect(DeployInput.parse({ specChange: true })).toEqual({ specChange: true });
    for (const bad of [{ specChange: true, image: "1.0.0" }, { specChange: true, replayRelease: 1 }, { specChange: false }, {}]) {
      const r = DeployInput.safeParse(bad);
      expect(r.success, JSON.stringify(bad)).toBe(false);
    }
    expect(DeployInput.safeParse({}).error?.issues[0]?.message).toBe("give exactly one of image, replayRelease or specChange");
  });
});

describe("releaseDiff on an array shown whole (no identity key)", () => {
  it("masks secret values in both before and after", () => {
    // Duplicate names: no identity key, so the whole array is shown as changed.
    const before = {
      env: [
        { name: "TOKEN", value: "old-secret", secret: true },
        { name: "TOKEN", value: "x" },
      ],
    };
    const after = {
      env: [
        { name: "TOKEN", value: "new-secret", secret: true },
        { name: "TOKEN", value: "y" },
      ],
    };
    const changes = specChanges(before, after);
    expect(changes).toEqual([
      {
        path: "env",
        change: "changed",
        before: [
          { name: "TOKEN", value: SECRET_MASK, secret: true },
          { name: "TOKEN", value: "x" },
        ],
        after: [
          { name: "TOKEN", value: SECRET_MASK, secret: true },
          { name: "TOKEN", value: "y" },
        ],
      },
    ]);
    expect(JSON.stringify(changes)).not.toMatch(/old-secret|new-secret/);
  });
});
