import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compilePattern, ignoredBy, rulesFor } from "@/server/drift/ignoreRules";
import { IgnoreRuleInput, ignorePatternProblem } from "@/server/drift/driftInput";
import { baselinePatterns, BASELINE_DIR_THRESHOLD, literalPattern } from "@/server/drift/baselinePatterns";
import type { StoredChange } from "@/server/drift/changes";

describe("ignore patterns", () => {
  it("a plain path is a prefix of whole segments", () => {
    const m = compilePattern("/tmp");
    expect(m("/tmp")).toBe(true);
    expect(m("/tmp/a/b")).toBe(true);
    expect(m("/tmpfile")).toBe(false);
    expect(m("/var/tmp")).toBe(false);
    expect(compilePattern("/tmp/")("/tmp/x")).toBe(true);
    expect(compilePattern("/")("/anything")).toBe(true);
  });

  it("globs: * and ? within a segment, ** across segments, matching what is under a match", () => {
    expect(compilePattern("/var/log/*.log")("/var/log/app.log")).toBe(true);
    expect(compilePattern("/var/log/*.log")("/var/log/sub/app.log")).toBe(false);
    expect(compilePattern("/var/log/app?.log")("/var/log/app1.log")).toBe(true);
    expect(compilePattern("**/*.pyc")("/srv/app/x.pyc")).toBe(true);
    expect(compilePattern("**/*.pyc")("/x.pyc")).toBe(true);
    expect(compilePattern("**/*.pyc")("/x.pyco")).toBe(false);
    expect(compilePattern("/app/**/cache")("/app/cache")).toBe(true);
    expect(compilePattern("/app/**/cache")("/app/a/b/cache/file")).toBe(true);
    expect(compilePattern("/app/**/cache")("/application/cache")).toBe(false);
    expect(compilePattern("/www/cache-*")("/www/cache-1/f")).toBe(true);
    expect(compilePattern("/a.b/*")("/aXb/c")).toBe(false);
  });

  it("a literal path never matches a sibling that merely shares its prefix (property)", () => {
    const seg = fc.stringMatching(/^[a-z0-9._-]{1,8}$/).filter((s) => s !== "." && s !== "..");
    fc.assert(
      fc.property(fc.array(seg, { minLength: 1, maxLength: 4 }), seg, (parts, extra) => {
        const p = `/${parts.join("/")}`;
        const m = compilePattern(p);
        return m(p) && m(`${p}/${extra}`) && !m(`${p}${extra}`);
      }),
    );
  });

  it("refuses malformed patterns with a clear reason", () => {
    expect(ignorePatternProblem("tmp")).toMatch(/must start with/);
    expect(ignorePatternProblem("/a/../b")).toMatch(/'\.\.'/);
    expect(ignorePatternProblem("/a//b")).toMatch(/'\/\/'/);
    expect(ignorePatternProblem("/a/[ab]")).toMatch(/only '\*'/);
    expect(ignorePatternProblem("/a/b**")).toMatch(/whole path segment/);
    expect(ignorePatternProblem("/a/\u0001")).toMatch(/control/);
    expect(ignorePatternProblem("/tmp")).toBeNull();
    expect(ignorePatternProblem("**/*.pyc")).toBeNull();
    const bad = IgnoreRuleInput.safeParse({ pattern: "relative/path" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/^pattern must start with/);
    expect(IgnoreRuleInput.safeParse({ pattern: "/tmp", extra: 1 }).success).toBe(false);
    expect(IgnoreRuleInput.parse({ pattern: " /tmp " })).toEqual({ pattern: "/tmp", service: null, note: "" });
  });

  it("global rules apply to every service, service rules only to theirs; the first match is named", () => {
    const rules = [
      { id: 1, pattern: "/tmp", serviceName: null },
      { id: 2, pattern: "/www/uploads", serviceName: "web" },
    ];
    expect(ignoredBy(rulesFor(rules, "web"), "/www/uploads/a.png")).toBe(2);
    expect(ignoredBy(rulesFor(rules, "api"), "/www/uploads/a.png")).toBeNull();
    expect(ignoredBy(rulesFor(rules, "api"), "/tmp/x")).toBe(1);
  });
});

describe("baseline", () => {
  it("one rule per path, or per directory when it has many; what is ignored already is left out", () => {
    const many: StoredChange[] = Array.from({ length: BASELINE_DIR_THRESHOLD + 1 }, (_, i) => [1, `/var/cache/app/f${i}`]);
    const changes: StoredChange[] = [[1, "/www/drift.txt"], [0, "/etc/hosts"], [2, "/etc/motd"], [1, "/tmp/x"], ...many];
    const patterns = baselinePatterns(changes, (p) => p.startsWith("/tmp"));
    expect(patterns).toEqual(["/etc/hosts", "/etc/motd", "/var/cache/app", "/www/drift.txt"]);
    const compiled = rulesFor(
      patterns.map((pattern, id) => ({ id, pattern, serviceName: null })),
      null,
    );
    expect(changes.filter(([, p]) => !p.startsWith("/tmp")).every(([, p]) => ignoredBy(compiled, p) !== null)).toBe(true);
  });

  it("a file name with wildcard characters is baselined literally: a*b does not ignore axxb", () => {
    const patterns = baselinePatterns(
      [
        [1, "/data/a*b"],
        [1, "/data/weird[1].txt"],
        [1, "/data/x?\\y"],
      ],
      () => false,
    );
    expect(patterns).toEqual(["/data/a\\*b", "/data/weird\\[1\\].txt", "/data/x\\?\\\\y"]);
    expect(patterns.every((p) => IgnoreRuleInput.safeParse({ pattern: p }).success)).toBe(true);
    const m = compilePattern(patterns[0]!);
    expect(m("/data/a*b")).toBe(true);
    expect(m("/data/a*b/inner")).toBe(true);
    expect(m("/data/axxb")).toBe(false);
    expect(m("/data/ab")).toBe(false);
    expect(compilePattern(patterns[1]!)("/data/weird[1].txt")).toBe(true);
    expect(compilePattern(patterns[2]!)("/data/x?\\y")).toBe(true);
    expect(compilePattern(patterns[2]!)("/data/xz\\y")).toBe(false);
  });

  it("a name no pattern can stand for is skipped, never widened to its directory", () => {
    const skipped: string[] = [];
    const changes: StoredChange[] = [
      [1, "/data/bad\u0001name"],
      [1, "/data/trailing "],
      [1, `/data/${"n".repeat(600)}`],
      [1, "/data/ok"],
    ];
    expect(baselinePatterns(changes, () => false, skipped)).toEqual(["/data/ok"]);
    expect(skipped).toEqual(["/data/bad\u0001name", "/data/trailing ", `/data/${"n".repeat(600)}`]);
    // A crowded directory whose own name cannot be a pattern falls back to one rule per representable file.
    const crowded: StoredChange[] = Array.from({ length: BASELINE_DIR_THRESHOLD + 1 }, (_, i) => [1, `/odd\u0002dir/f${i}`]);
    expect(baselinePatterns(crowded, () => false)).toEqual([]);
  });

  it("any file name the baseline writes matches itself and nothing else beside it (property)", () => {
    const name = fc
      .string({ unit: fc.constantFrom("a", "b", "*", "?", "[", "]", "{", "}", "\\", " ", "."), minLength: 1, maxLength: 8 })
      .filter((s) => s !== "." && s !== "..");
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 3 }), name, (parts, other) => {
        const path = `/${parts.join("/")}`;
        const pattern = literalPattern(path);
        if (pattern === null) return /\s$/.test(path);
        const m = compilePattern(pattern);
        const sibling = `/${[...parts.slice(0, -1), other].join("/")}`;
        return m(path) && m(`${path}/x`) && m(sibling) === (sibling === path) && !m(`${path}x`);
      }),
    );
  });
});
