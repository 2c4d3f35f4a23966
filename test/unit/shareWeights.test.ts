import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { desiredMainBackend, type RoutedContainer } from "@/server/routing/desiredRouting";
import { effectiveCandidatePercent, FULL_WEIGHT, MAX_WEIGHT, shareWeights } from "@/server/routing/shareWeights";

const sum = (ws: number[]) => ws.reduce((s, w) => s + w, 0);

describe("shareWeights", () => {
  it("keeps the routing default at 0 %: live at full weight, candidate in preview at 0", () => {
    expect(shareWeights(2, 3, 0)).toEqual({
      candidate: [0, 0],
      live: [100, 100, 100],
      effectivePercent: 0,
      idle: { candidate: 0, live: 0 },
    });
  });

  it("gives the candidate everything at 100 % (live stays registered at weight 0)", () => {
    const w = shareWeights(2, 3, 100);
    expect(w.candidate).toEqual([FULL_WEIGHT, FULL_WEIGHT]);
    expect(w.live).toEqual([0, 0, 0]);
    expect(w.effectivePercent).toBe(100);
  });

  it("uses small even weights where they exist", () => {
    expect(shareWeights(1, 1, 10)).toMatchObject({ candidate: [1], live: [9] });
    expect(shareWeights(1, 3, 10)).toMatchObject({ candidate: [1], live: [3, 3, 3] });
    expect(shareWeights(2, 2, 50)).toMatchObject({ candidate: [1, 1], live: [1, 1] });
    expect(shareWeights(2, 3, 25)).toMatchObject({ candidate: [1, 1], live: [2, 2, 2] });
  });

  it("splits a side unevenly (by at most 1) when no even split fits, and stays exact", () => {
    // 1 % on 3 candidates vs 2 live: Wc = 3k, Wl = 297k... k = 3 → Wl = 297 over 2 servers.
    const w = shareWeights(3, 2, 1);
    expect(w.candidate).toEqual([1, 1, 1]);
    expect(w.live).toEqual([149, 148]);
    expect(w.effectivePercent).toBeCloseTo(1, 12);
  });

  it("past the bound, idles servers of the small side instead of missing the share", () => {
    // 1 % on 5 candidates vs 1 live server: the live server can hold at most 256 = 99k → k = 2, Wc = 2.
    const w = shareWeights(5, 1, 1);
    expect(w.live).toEqual([198]);
    expect(w.candidate).toEqual([1, 1, 0, 0, 0]);
    expect(w.idle).toEqual({ candidate: 3, live: 0 });
    expect(w.effectivePercent).toBeCloseTo(1, 12);
  });

  it("refuses shares that are not integer percent and impossible counts", () => {
    expect(() => shareWeights(1, 1, 10.5)).toThrow(RangeError);
    expect(() => shareWeights(1, 1, 101)).toThrow(RangeError);
    expect(() => shareWeights(-1, 1, 10)).toThrow(RangeError);
  });

  it("property: the effective share equals the target exactly, for every percent and 1..64 servers per side", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 100 }), (c, l, p) => {
        const w = shareWeights(c, l, p);
        expect(w.candidate).toHaveLength(c);
        expect(w.live).toHaveLength(l);
        for (const x of [...w.candidate, ...w.live]) expect(Number.isInteger(x) && x >= 0 && x <= MAX_WEIGHT).toBe(true);
        // Exact in integers: Wc · 100 = p · (Wc + Wl), no floating point involved.
        const wc = sum(w.candidate);
        const wl = sum(w.live);
        expect(wc * 100).toBe(p * (wc + wl));
        expect(w.effectivePercent).toBe(effectiveCandidatePercent(w.candidate, w.live));
        // Within a side, the load per replica differs by at most one weight unit.
        for (const side of [w.candidate, w.live]) expect(Math.max(...side) - Math.min(...side)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 3000 },
    );
  });

  it("exhaustively: every server serves (weight ≥ 1) whenever the larger side has at most 2.5× the servers of the smaller", () => {
    for (let c = 1; c <= 40; c++)
      for (let l = 1; l <= 40; l++) {
        if (Math.max(c, l) > 2.5 * Math.min(c, l)) continue;
        for (let p = 1; p <= 99; p++) {
          const w = shareWeights(c, l, p);
          if (w.idle.candidate + w.idle.live !== 0) throw new Error(`c=${c} l=${l} p=${p} idles servers: ${JSON.stringify(w)}`);
        }
      }
  });
});

describe("desiredMainBackend with a shift", () => {
  const c = (serverName: string, releaseStatus: RoutedContainer["releaseStatus"], port: number): RoutedContainer => ({
    serverName,
    address: "127.0.0.1",
    port,
    releaseStatus,
  });
  const routed = [
    c("r2-beta-1", "candidate", 4),
    c("r1-beta-1", "live", 2),
    c("r1-alpha-1", "live", 1),
    c("r2-alpha-1", "candidate", 3),
    c("r0-alpha-1", "standby", 5),
  ];
  const weights = (percent: number) =>
    Object.fromEntries(desiredMainBackend(routed, percent).map((d) => [d.name, `${d.weight} ${d.state}`]));

  it("without a shift, the routing of before: live 100, candidate 0 (preview), standby drained", () => {
    expect(weights(0)).toEqual({
      "r1-alpha-1": "100 ready",
      "r1-beta-1": "100 ready",
      "r2-alpha-1": "0 ready",
      "r2-beta-1": "0 ready",
      "r0-alpha-1": "100 drain",
    });
  });

  it("a shift weights live and candidate exactly, the standby stays drained", () => {
    expect(weights(25)).toEqual({
      "r1-alpha-1": "3 ready",
      "r1-beta-1": "3 ready",
      "r2-alpha-1": "1 ready",
      "r2-beta-1": "1 ready",
      "r0-alpha-1": "100 drain",
    });
  });

  it("gives the same weights to the same servers whatever order the record lists them in (reconcile changes nothing)", () => {
    // 1 % with 3 candidates and 2 live: no even split fits, the live side is 149 + 148; which server gets 149 must not move.
    const three = [
      c("r1-a", "live", 1),
      c("r1-b", "live", 2),
      c("r2-a", "candidate", 3),
      c("r2-b", "candidate", 4),
      c("r2-c", "candidate", 5),
    ];
    const a = desiredMainBackend(three, 1);
    const b = desiredMainBackend([...three].reverse(), 1);
    const byName = (ds: typeof a) => Object.fromEntries(ds.map((d) => [d.name, d.weight]));
    expect(byName(a)).toEqual(byName(b));
    expect(byName(a)).toEqual({ "r1-a": 149, "r1-b": 148, "r2-a": 1, "r2-b": 1, "r2-c": 1 });
  });
});
