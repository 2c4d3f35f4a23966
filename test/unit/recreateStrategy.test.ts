import { describe, expect, it } from "vitest";
import { ServiceSpec } from "@/server/services/serviceSpecInput";
import { describeGap, gapOfEventDetail, keptPorts, usesRecreate } from "@/server/releases/recreatePlan";
import { quarantineRefusal } from "@/server/quarantine/quarantineRules";

const base = { name: "cache", image: "127.0.0.1:5000/demo-redis", placement: [{ host: "alpha", replicas: 1 }] };

describe("spec strategy", () => {
  it("defaults to blue-green and takes recreate", () => {
    expect(ServiceSpec.parse(base).strategy).toBe("blue-green");
    expect(ServiceSpec.parse({ ...base, strategy: "recreate" }).strategy).toBe("recreate");
  });

  it("refuses anything else with a message naming both choices", () => {
    for (const strategy of ["rolling", "Recreate", 1, null]) {
      const r = ServiceSpec.safeParse({ ...base, strategy });
      expect(r.success).toBe(false);
      expect(r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
        "strategy: strategy: blue-green (the default) or recreate",
      ]);
    }
  });
});

describe("recreate planning", () => {
  it("the i-th new replica on a host takes the i-th old container's port there", () => {
    const old = [
      { host: "alpha", port: 20001 },
      { host: "beta", port: 20002 },
      { host: "alpha", port: 20003 },
    ];
    const kept = keptPorts(old, [
      { host: "alpha", replicas: 2 },
      { host: "beta", replicas: 1 },
    ]);
    expect(Object.fromEntries(kept)).toEqual({ alpha: [20001, 20003], beta: [20002] });
  });

  it("fewer replicas keep the first ports; more replicas and new hosts get fresh ones (not listed)", () => {
    const old = [
      { host: "alpha", port: 20001 },
      { host: "alpha", port: 20003 },
    ];
    expect(Object.fromEntries(keptPorts(old, [{ host: "alpha", replicas: 1 }]))).toEqual({ alpha: [20001] });
    expect(
      Object.fromEntries(
        keptPorts(old, [
          { host: "alpha", replicas: 3 },
          { host: "gamma", replicas: 1 },
        ]),
      ),
    ).toEqual({ alpha: [20001, 20003], gamma: [] });
  });

  it("reads the gap from a recreate's release-log detail only", () => {
    expect(gapOfEventDetail(JSON.stringify({ strategy: "recreate", gapMs: 1834 }))).toBe(1834);
    expect(gapOfEventDetail(JSON.stringify({ before: { live: 1 }, after: { live: 2 }, ms: 40 }))).toBeNull();
    expect(gapOfEventDetail(JSON.stringify({ strategy: "recreate", gapMs: "1" }))).toBeNull();
    expect(gapOfEventDetail("not json")).toBeNull();
    expect(gapOfEventDetail(null)).toBeNull();
    expect(describeGap(1834)).toBe("gap 1.8 s");
  });
});

describe("which strategy a change uses", () => {
  const bg = ServiceSpec.parse(base);
  const rc = ServiceSpec.parse({ ...base, strategy: "recreate" });
  it("recreate when either the live release's spec or the new one says recreate (Deploy and Rollback alike)", () => {
    expect(usesRecreate(rc, bg)).toBe(true); // a recreate service edited to blue-green: no second writer beside the live one
    expect(usesRecreate(bg, rc)).toBe(true);
    expect(usesRecreate(rc, rc)).toBe(true);
    expect(usesRecreate(bg, bg)).toBe(false);
  });
});

describe("quarantine on a recreate service", () => {
  const c = { name: "cache-r2-1", host: "alpha", running: true };
  const volumes = [{ name: "data", target: "/data" }];
  it("refuses a recreate service with volumes: one writer per volume", () => {
    expect(quarantineRefusal(c, { strategy: "recreate", volumes })).toBe(
      "cache-r2-1 on alpha cannot be quarantined: a recreate service has one writer per volume; quarantine would start a replacement beside it — Rollback or Redeploy instead.",
    );
  });
  it("refuses a container that is not running", () => {
    expect(quarantineRefusal({ ...c, running: false }, { strategy: "blue-green", volumes: [] })).toBe(
      "cache-r2-1 on alpha is not running; only a running container can be quarantined.",
    );
  });
  it("allows a running container of a blue-green service, or of a recreate service without volumes", () => {
    expect(quarantineRefusal(c, { strategy: "blue-green", volumes })).toBeNull();
    expect(quarantineRefusal(c, { strategy: "recreate", volumes: [] })).toBeNull();
  });
});
