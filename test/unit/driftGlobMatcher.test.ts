import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compilePattern, type MatchMeter } from "@/server/drift/ignoreRules";
import { IgnorePattern, ignorePatternProblem } from "@/server/drift/driftInput";

/** The regex matcher ignore rules used before issue 9: the reference for every pattern without a backslash. */
function regexMatcher(pattern: string): (path: string) => boolean {
  const p = pattern.length > 1 ? pattern.replace(/\/+$/, "") : pattern;
  if (p === "/") return () => true;
  if (!/[*?]/.test(p)) return (path) => path === p || path.startsWith(`${p}/`);
  const esc = (s: string) => s.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  const body = p
    .split("/")
    .map((seg, i) =>
      i === 0 && seg === "" ? "" : seg === "**" ? "(?:/[^/]+)*" : `/${esc(seg).replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}`,
    )
    .join("");
  const re = new RegExp(`^${body}(?:/.*)?$`);
  return (path) => re.test(path);
}

const PATHOLOGICAL = `/etc/${"*a".repeat(12)}*b`;

describe("glob matcher", () => {
  it("agrees with the old regex matcher on every pattern it could express (property)", () => {
    const patSeg = fc.constantFrom("a", "b", "ab", "*", "?", "**", "a*", "*b", "?a", "a?b", "*a*", "", "***");
    const pathSeg = fc.constantFrom("a", "b", "ab", "ba", "aab", "abb", "", "a.b", "bab");
    const pattern = fc
      .tuple(fc.constantFrom("/", "**/", ""), fc.array(patSeg, { maxLength: 5 }), fc.constantFrom("", "/", "//"))
      .map(([head, segs, tail]) => `${head}${segs.join("/")}${tail}`);
    const path = fc.oneof(
      fc.array(pathSeg, { maxLength: 6 }).map((segs) => `/${segs.join("/")}`),
      fc.array(pathSeg, { maxLength: 3 }).map((segs) => segs.join("/")),
    );
    fc.assert(
      fc.property(pattern, path, (pat, p) => compilePattern(pat)(p) === regexMatcher(pat)(p)),
      { numRuns: 5000 },
    );
  });

  it("the pathological pattern that took the regex seconds answers at once for long names", () => {
    for (const n of [33, 1_000, 100_000]) {
      const name = `/etc/${"a".repeat(n)}`;
      const started = performance.now();
      expect(compilePattern(PATHOLOGICAL)(name)).toBe(false);
      expect(compilePattern(`/etc/**/${"*a".repeat(12)}*b`)(`${name}/${"a".repeat(n)}`)).toBe(false);
      expect(performance.now() - started, `${n} characters`).toBeLessThan(50);
    }
    expect(compilePattern(PATHOLOGICAL)(`/etc/${"a".repeat(40)}b`)).toBe(true);
  });

  it("its work is linear in the path's length for a fixed pattern (property, counted steps)", () => {
    const segment = fc.string({ unit: fc.constantFrom("a", "b", "*", "?"), minLength: 1, maxLength: 12 }).filter((s) => !s.includes("**"));
    const pattern = fc
      .array(fc.oneof(segment, fc.constant("**")), { minLength: 1, maxLength: 6 })
      .map((segs) => `/${segs.join("/")}`.replace(/\*\*\/\*\*/g, "**"));
    const pathPart = fc.string({ unit: fc.constantFrom("a", "b", "/"), minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(pattern, pathPart, fc.integer({ min: 1, max: 64 }), (pat, part, times) => {
        const meter: MatchMeter = { steps: 0 };
        const path = `/${part.repeat(times)}`;
        compilePattern(pat, meter)(path);
        // Every (pattern character, path character) pair at most once, plus a step per segment boundary.
        return meter.steps <= (pat.length + 2) * (path.length + 2);
      }),
      { numRuns: 500 },
    );
    const steps = (n: number) => {
      const meter: MatchMeter = { steps: 0 };
      compilePattern(PATHOLOGICAL, meter)(`/etc/${"a".repeat(n)}`);
      return meter.steps;
    };
    // 8x the name, at most 8x the work (plus the constant for /etc).
    expect(steps(8_000)).toBeLessThanOrEqual(8 * steps(1_000) + 100);
  });

  it("a backslash makes the next character literal", () => {
    expect(compilePattern("/data/a\\*b")("/data/a*b")).toBe(true);
    expect(compilePattern("/data/a\\*b")("/data/axxb")).toBe(false);
    expect(compilePattern("/data/a\\?b")("/data/axb")).toBe(false);
    expect(compilePattern("/data/\\**")("/data/*tail")).toBe(true);
    expect(compilePattern("/data/\\**")("/data/tail")).toBe(false);
    expect(compilePattern("/data/\\*\\*/x")("/data/**/x")).toBe(true);
    expect(compilePattern("/data/\\*\\*/x")("/data/a/b/x")).toBe(false);
    expect(compilePattern("/data/\\[1\\]")("/data/[1]")).toBe(true);
    expect(compilePattern("/data/back\\\\slash")("/data/back\\slash")).toBe(true);
  });
});

describe("pattern validation", () => {
  it("accepts escapes of the special characters only, and still refuses unescaped [] and {}", () => {
    expect(ignorePatternProblem("/data/a\\*b")).toBeNull();
    expect(ignorePatternProblem("/data/\\[\\]\\{\\}\\\\\\?")).toBeNull();
    expect(ignorePatternProblem("/data/a\\b")).toMatch(/backslash may only escape/);
    expect(ignorePatternProblem("/data/a\\")).toMatch(/backslash may only escape/);
    expect(ignorePatternProblem("/data/a\\/b")).toMatch(/backslash may only escape/);
    expect(ignorePatternProblem("/data/{a,b}")).toMatch(/only '\*'/);
    expect(ignorePatternProblem("/data/a\\**")).toBeNull();
    expect(ignorePatternProblem("/data/a**")).toMatch(/whole path segment/);
    expect(ignorePatternProblem("/data/**/**")).toMatch(/same as/);
    expect(ignorePatternProblem("/data/**/\\*\\*")).toBeNull();
  });

  it("checks the pattern after trimming it", () => {
    expect(IgnorePattern.parse("  /tmp/x  ")).toBe("/tmp/x");
    expect(IgnorePattern.parse(`\t**/*.pyc\n`)).toBe("**/*.pyc");
    expect(IgnorePattern.safeParse("   ").error?.issues[0]?.message).toBe("pattern is required");
    expect(IgnorePattern.safeParse(` ${"/a".repeat(256)} `).success).toBe(true);
    expect(IgnorePattern.safeParse(" tmp ").error?.issues[0]?.message).toMatch(/^pattern must start with/);
  });
});
