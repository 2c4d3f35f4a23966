import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { countKinds, groupByDirectory, normaliseChanges, pageOf, type StoredChange } from "@/server/drift/changes";
import { countVerdicts, driftDelta, evaluate, hostVerdict, type RawResult } from "@/server/drift/evaluate";
import { hostDrift } from "@/server/drift/hostDrift";
import { forEachLimit } from "@/server/async/forEachLimit";

const raw = (over: Partial<RawResult>): RawResult => ({
  accounted: true,
  quarantined: false,
  incomplete: false,
  serviceName: "web",
  findings: [],
  changes: [],
  ...over,
});
const tmp = [{ id: 1, pattern: "/tmp", serviceName: null }];

describe("filesystem changes", () => {
  it("drops directories reported as changed only because something inside them changed", () => {
    const list = [
      { Path: "/www", Kind: 0 },
      { Path: "/www/drift.txt", Kind: 1 },
      { Path: "/www-old", Kind: 0 },
      { Path: "/etc/motd", Kind: 2 },
      { Path: "/etc", Kind: 0 },
      { Path: "/bin/busybox", Kind: 0 },
    ];
    expect(normaliseChanges(list)).toEqual([
      [0, "/bin/busybox"],
      [2, "/etc/motd"],
      [0, "/www-old"],
      [1, "/www/drift.txt"],
    ]);
    expect(normaliseChanges(null)).toEqual([]);
  });

  it("groups by directory with counts, largest first, and pages 10,000+ entries", () => {
    const changes: StoredChange[] = [
      ...Array.from({ length: 12_000 }, (_, i): StoredChange => [1, `/data/f${i}`]),
      [0, "/etc/hosts"],
      [2, "/etc/motd"],
      [1, "/tmp/x"],
    ];
    const groups = groupByDirectory(changes, (p) => p.startsWith("/tmp"));
    expect(groups[0]).toEqual({ dir: "/data", total: 12_000, changed: 0, added: 12_000, deleted: 0, ignored: 0 });
    expect(groups.find((g) => g.dir === "/etc")).toMatchObject({ total: 2, changed: 1, deleted: 1 });
    expect(groups.find((g) => g.dir === "/tmp")?.ignored).toBe(1);
    expect(countKinds(changes)).toEqual({ changed: 1, added: 12_001, deleted: 1 });
    const p = pageOf(changes, 3, 500);
    expect(p).toMatchObject({ page: 3, pageSize: 500, total: 12_003, pages: 25 });
    expect(p.items[0]).toEqual([1, "/data/f1000"]);
  });
});

describe("verdicts", () => {
  it("clean, drifted, ignored-but-counted, unaccounted, allowed to drift, unknown", () => {
    expect(evaluate(raw({}), tmp).verdict).toBe("clean");
    const drifted = evaluate(raw({ changes: [[1, "/www/x"]] }), tmp);
    expect(drifted).toMatchObject({ verdict: "drifted", changesEffective: 1, keys: ["fs:/www/x"] });
    const ignored = evaluate(raw({ changes: [[1, "/tmp/x"]] }), tmp);
    expect(ignored).toMatchObject({ verdict: "clean", changesIgnored: 1, changesEffective: 0 });
    expect(
      evaluate(raw({ findings: [{ key: "registry:tag", category: "registry", field: "tag", message: "moved", info: true }] }), tmp).verdict,
    ).toBe("clean");
    expect(evaluate(raw({ findings: [{ key: "image:id", category: "image", field: "image", message: "other" }] }), tmp).verdict).toBe(
      "drifted",
    );
    expect(evaluate(raw({ accounted: false }), tmp).verdict).toBe("unaccounted");
    expect(evaluate(raw({ quarantined: true, changes: [[1, "/www/x"]] }), tmp)).toMatchObject({ verdict: "allowed-to-drift", keys: [] });
    expect(evaluate(raw({ incomplete: true }), tmp).verdict).toBe("unknown");
  });

  it("new and resolved since the previous scan", () => {
    expect(driftDelta(["fs:/a", "fs:/b"], ["fs:/b", "fs:/c"])).toEqual({ added: ["fs:/c"], resolved: ["fs:/a"] });
    expect(driftDelta(null, ["fs:/a"])).toEqual({ added: ["fs:/a"], resolved: [] });
  });

  it("host verdicts and counts", () => {
    expect(hostVerdict(null, [])).toBe("not-scanned");
    expect(hostVerdict("unreachable", ["clean"])).toBe("unreachable");
    expect(hostVerdict("done", ["clean", "allowed-to-drift", "unknown"])).toBe("clean");
    expect(hostVerdict("done", ["clean", "unaccounted"])).toBe("unaccounted");
    expect(hostVerdict("done", ["drifted", "unaccounted"])).toBe("drifted");
    expect(countVerdicts(["clean", "clean", "drifted"])).toMatchObject({ clean: 2, drifted: 1, unaccounted: 0 });
  });
});

describe("host drift", () => {
  const facts = (engineVersion: string, kernel = "6.1") => ({
    engineVersion,
    apiVersion: "1.41",
    os: "Debian",
    kernel,
    storageDriver: "overlay2",
    cgroupDriver: "systemd",
  });
  it("highlights the odd one out against the majority; unreachable hosts are not odd", () => {
    const d = hostDrift([
      { name: "a", facts: facts("20.10") },
      { name: "b", facts: facts("20.10") },
      { name: "c", facts: facts("24.0", "6.8") },
      { name: "down", facts: null },
    ]);
    expect(d.oddHosts).toEqual(["c"]);
    expect(d.fields.find((f) => f.key === "engineVersion")).toMatchObject({
      majority: "20.10",
      values: [
        { host: "a", odd: false },
        { host: "b", odd: false },
        { host: "c", odd: true },
        { host: "down", value: null, odd: false },
      ],
    });
    expect(d.fields.find((f) => f.key === "os")?.values.every((v) => !v.odd)).toBe(true);
  });

  it("with a tie there is no majority: every differing host is flagged", () => {
    const d = hostDrift([
      { name: "a", facts: facts("20.10") },
      { name: "b", facts: facts("24.0") },
    ]);
    expect(d.fields[0]?.majority).toBeNull();
    expect(d.oddHosts).toEqual(["a", "b"]);
    expect(
      hostDrift([
        { name: "a", facts: facts("1") },
        { name: "b", facts: facts("1") },
      ]).oddHosts,
    ).toEqual([]);
  });
});

describe("bounded concurrency", () => {
  it("never runs more than the limit at once and runs everything", async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimit(
      Array.from({ length: 20 }, (_, i) => i),
      4,
      async (i) => {
        running++;
        peak = Math.max(peak, running);
        await sleep(5 + (i % 3));
        seen.push(i);
        running--;
      },
    );
    expect(peak).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
