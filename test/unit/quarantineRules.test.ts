import { describe, expect, it } from "vitest";
import { DAY_S, HOUR_S, formatSeconds } from "@/server/quarantine/constants";
import {
  extendDeadline,
  extensionRoomS,
  isOverdue,
  lifetimeProblem,
  needsImageAdvice,
  nextContainerIndex,
  quarantineOrder,
  quarantinedName,
  retryDelayS,
  warningAt,
} from "@/server/quarantine/quarantineRules";
import { CancelSelfDestructInput, ExtendInput, QuarantineInput } from "@/server/quarantine/quarantineInput";

const limits = { maxLifetimeS: 168 * HOUR_S, warnLeadS: 60 * 60 };
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe("lifetime", () => {
  it("accepts 1 s up to the maximum", () => {
    expect(lifetimeProblem(1, limits)).toBeNull();
    expect(lifetimeProblem(DAY_S, limits)).toBeNull();
    expect(lifetimeProblem(168 * HOUR_S, limits)).toBeNull();
  });
  it("refuses 0, negatives, fractions and anything past the maximum, naming the limit", () => {
    expect(lifetimeProblem(0, limits)).toMatch(/above 0/);
    expect(lifetimeProblem(-5, limits)).toMatch(/above 0/);
    expect(lifetimeProblem(1.5, limits)).toMatch(/whole number/);
    expect(lifetimeProblem(168 * HOUR_S + 1, limits)).toMatch(/past the maximum lifetime of 7d.*SWITCHYARD_QUARANTINE_MAX_HOURS/);
  });
});

describe("extensions", () => {
  const q = { quarantinedAt: T0, deadline: T0 + DAY_S * 1000 };
  it("adds to the current deadline", () => {
    expect(extendDeadline(q, HOUR_S, T0 + 1000, limits)).toEqual({ ok: true, newDeadline: T0 + (DAY_S + HOUR_S) * 1000 });
  });
  it("adds to now when the deadline already passed (an overdue container)", () => {
    const now = T0 + (DAY_S + 600) * 1000;
    expect(extendDeadline(q, HOUR_S, now, limits)).toEqual({ ok: true, newDeadline: now + HOUR_S * 1000 });
  });
  it("may reach the maximum lifetime exactly, never pass it, and says how much is left", () => {
    expect(extendDeadline(q, 6 * DAY_S, T0, limits)).toEqual({ ok: true, newDeadline: T0 + 7 * DAY_S * 1000 });
    const r = extendDeadline(q, 6 * DAY_S + 1, T0, limits);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(/maximum lifetime of 7d; at most 6d more is allowed/);
    expect(extensionRoomS(q, T0, limits)).toBe(6 * DAY_S);
  });
  it("refuses non-positive additions and a cancelled self-destruct", () => {
    expect(extendDeadline(q, 0, T0, limits).ok).toBe(false);
    expect(extendDeadline(q, -60, T0, limits).ok).toBe(false);
    const r = extendDeadline({ quarantinedAt: T0, deadline: null }, 60, T0, limits);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(/cancelled/);
    expect(extensionRoomS({ quarantinedAt: T0, deadline: null }, T0, limits)).toBe(0);
  });
  it("advises shipping the debug tools in the image after the third extension", () => {
    expect([0, 1, 2, 3, 4].map(needsImageAdvice)).toEqual([false, false, false, true, true]);
  });
});

describe("warning before the deadline", () => {
  it("comes the configured lead before the deadline", () => {
    expect(warningAt(T0 + DAY_S * 1000, T0, limits)).toBe(T0 + (DAY_S - 3600) * 1000);
  });
  it("comes at once when the lifetime is shorter than the lead", () => {
    expect(warningAt(T0 + 30_000, T0, limits)).toBe(T0);
  });
  it("is re-armed from the extension", () => {
    const extendedAt = T0 + 10_000;
    expect(warningAt(T0 + 4 * HOUR_S * 1000, extendedAt, limits)).toBe(T0 + 3 * HOUR_S * 1000);
    expect(warningAt(T0 + 60_000, extendedAt, limits)).toBe(extendedAt);
  });
});

describe("retries and overdue", () => {
  it("backs off 5 s, 10 s, 20 s … up to 5 min", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map(retryDelayS)).toEqual([5, 10, 20, 40, 80, 160, 300, 300, 300]);
    expect(retryDelayS(0)).toBe(5);
  });
  it("is overdue after a failed attempt past the deadline, or when well past it", () => {
    const base = { status: "active", deadline: T0, attempts: 0 };
    expect(isOverdue(base, T0 - 1)).toBe(false);
    expect(isOverdue(base, T0 + 1000)).toBe(false);
    expect(isOverdue(base, T0 + 16_000)).toBe(true);
    expect(isOverdue({ ...base, attempts: 1 }, T0 + 1000)).toBe(true);
    expect(isOverdue({ ...base, deadline: null }, T0 + 1e9)).toBe(false);
    expect(isOverdue({ ...base, status: "destroyed", attempts: 3 }, T0 + 1e9)).toBe(false);
  });
});

describe("naming and order", () => {
  it("renames recognisably and gives the replacement the next index", () => {
    expect(quarantinedName("web-r3-alpha-1", 12)).toBe("web-r3-alpha-1-quarantined-12");
    expect(nextContainerIndex(2)).toBe(3);
  });
  it("starts the replacement first only for the last container of a release", () => {
    expect(quarantineOrder(1)).toBe("out-first");
    expect(quarantineOrder(0)).toBe("replacement-first");
  });
  it("formats durations for people", () => {
    expect([0, 59, 90, 3600, 3661, 86400, 90061, 604800].map(formatSeconds)).toEqual([
      "0s",
      "59s",
      "1m 30s",
      "1h",
      "1h 1m 1s",
      "1d",
      "1d 1h 1m",
      "7d",
    ]);
  });
});

describe("inputs", () => {
  it("require a reason and positive whole seconds", () => {
    const ok = QuarantineInput.safeParse({ hostId: 1, container: "web-r1-alpha-1", reason: "leak", lifetimeS: 10 });
    expect(ok.success).toBe(true);
    const noReason = QuarantineInput.safeParse({ hostId: 1, container: "web-r1-alpha-1", reason: "   " });
    expect(noReason.error?.issues[0]?.message).toMatch(/reason: required/);
    expect(QuarantineInput.safeParse({ hostId: 1, container: "x", lifetimeS: 10 }).error?.issues[0]?.message).toMatch(/reason: required/);
    expect(QuarantineInput.safeParse({ hostId: 1, container: "x", reason: "r", lifetimeS: 0 }).error?.issues[0]?.message).toMatch(
      /more than 0/,
    );
    expect(QuarantineInput.safeParse({ hostId: 1, container: "../images/json", reason: "r" }).success).toBe(false);
    expect(ExtendInput.safeParse({ addS: -1 }).success).toBe(false);
    expect(ExtendInput.safeParse({ addS: 3600, extra: 1 }).success).toBe(false);
    expect(CancelSelfDestructInput.safeParse({ reason: "" }).success).toBe(false);
  });
});
