/** Ignore rules, pure: which filesystem changes are expected noise. */
import { ANY_ONE, ANY_RUN, isDeep, literalText, parseGlob, type GlobSegment } from "./globPattern";

export type IgnoreRule = { id: number; pattern: string; serviceName: string | null };
export type PathMatcher = (path: string) => boolean;

/** Counts the matcher's steps (tests prove the work is linear in the path's length). */
export type MatchMeter = { steps: number };

/**
 * One segment's glob against `text`: the greedy two-pointer wildcard match
 * that, on a mismatch, only moves the last `*` on by one character. At most
 * (pattern + 1) x (text + 1) steps: no regular expression, no backtracking
 * explosion on names a container chooses (issue 9).
 */
function segmentMatches(glob: GlobSegment, text: string, meter: MatchMeter): boolean {
  let g = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    meter.steps++;
    const token = glob[g];
    if (token !== undefined && (token === ANY_ONE || token === text.charCodeAt(t))) {
      g++;
      t++;
    } else if (token === ANY_RUN) {
      star = g++;
      mark = t;
    } else if (star >= 0) {
      g = star + 1;
      t = ++mark;
    } else return false;
  }
  while (glob[g] === ANY_RUN) g++;
  return g === glob.length;
}

/**
 * `/tmp` matches /tmp and everything under it (not /tmpfile). A glob matches a
 * path or anything under a matching path: `*` and `?` stay within one segment,
 * a `**` segment spans any number of (non-empty) segments (`/app/**\/cache`,
 * `**\/*.pyc`); a backslash makes the next character literal (`/data/a\*b`).
 * Segments are matched left to right keeping the set of reachable path
 * positions, so each (pattern segment, path segment) pair is tried once.
 */
export function compilePattern(pattern: string, meter: MatchMeter = { steps: 0 }): PathMatcher {
  const p = pattern.length > 1 ? pattern.replace(/\/+$/, "") : pattern;
  if (p === "/") return () => true;
  const parsed = parseGlob(p);
  if (!parsed.wild) {
    const literal = parsed.segments.map(literalText).join("/");
    return (path) => path === literal || path.startsWith(`${literal}/`);
  }
  const globs = parsed.segments.filter((s, i) => i > 0 || s.length > 0);
  return (path) => {
    const parts = path === "" ? [] : path.startsWith("/") ? path.split("/").slice(1) : null;
    if (!parts) return false;
    let reach = new Uint8Array(parts.length + 1);
    reach[0] = 1;
    for (const glob of globs) {
      const next = new Uint8Array(parts.length + 1);
      let any = false;
      if (isDeep(glob)) {
        let on = false;
        for (let j = 0; j <= parts.length; j++) {
          meter.steps++;
          on = reach[j] === 1 || (on && parts[j - 1] !== "");
          if (on) next[j] = 1;
          any ||= on;
        }
      } else {
        for (let j = 0; j < parts.length; j++) {
          meter.steps++;
          if (reach[j] === 1 && segmentMatches(glob, parts[j]!, meter)) {
            next[j + 1] = 1;
            any = true;
          }
        }
      }
      if (!any) return false;
      reach = next;
    }
    return true;
  };
}

/** The rules that apply to a container of `serviceName` (global rules and the service's own), compiled. */
export function rulesFor(rules: IgnoreRule[], serviceName: string | null): { rule: IgnoreRule; match: PathMatcher }[] {
  return rules
    .filter((r) => r.serviceName === null || r.serviceName === serviceName)
    .map((rule) => ({ rule, match: compilePattern(rule.pattern) }));
}

/** The id of the first rule ignoring `path`, or null. */
export function ignoredBy(compiled: { rule: IgnoreRule; match: PathMatcher }[], path: string): number | null {
  for (const c of compiled) if (c.match(path)) return c.rule.id;
  return null;
}
