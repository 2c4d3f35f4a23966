/**
 * Ignore-rule patterns, pure and shared (validation, baseline and matching; no
 * server imports). A pattern is split at `/` into segments of tokens: a
 * character, `?` (one character) or `*` (any run within the segment); a
 * segment that is exactly `**` spans any number of segments. A backslash makes
 * the next character literal (`\*`, `\?`, `\[`, `\\`), so any file name can be
 * written as a pattern that matches only itself.
 */

/** Token codes: a literal character is its UTF-16 code unit (>= 0). */
export const ANY_ONE = -1;
export const ANY_RUN = -2;
export type GlobSegment = number[];

/** The characters a literal path must escape, and the only ones a backslash may escape. */
export const ESCAPABLE = "*?[]{}\\";

export type ParsedGlob = {
  segments: GlobSegment[];
  /** Some `*` or `?` is a wildcard (not escaped). */
  wild: boolean;
  /** An unescaped `[`, `]`, `{` or `}` (reserved, not supported). */
  reserved: boolean;
  /** A backslash not followed by one of ESCAPABLE. */
  badEscape: boolean;
};

/** One pass over the pattern: linear in its length. A backslash before `/` still separates. */
export function parseGlob(pattern: string): ParsedGlob {
  const segments: GlobSegment[] = [];
  let current: GlobSegment = [];
  let wild = false;
  let reserved = false;
  let badEscape = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === undefined || !ESCAPABLE.includes(next)) badEscape = true;
      if (next === undefined) current.push(c.charCodeAt(0));
      else if (next !== "/") {
        current.push(next.charCodeAt(0));
        i++;
      }
    } else if (c === "/") {
      segments.push(current);
      current = [];
    } else if (c === "*" || c === "?") {
      wild = true;
      current.push(c === "*" ? ANY_RUN : ANY_ONE);
    } else {
      if ("[]{}".includes(c)) reserved = true;
      current.push(c.charCodeAt(0));
    }
  }
  segments.push(current);
  return { segments, wild, reserved, badEscape };
}

/** A segment that is exactly an unescaped `**`. */
export const isDeep = (s: GlobSegment): boolean => s.length === 2 && s[0] === ANY_RUN && s[1] === ANY_RUN;

/** Two unescaped `*` side by side. */
export const hasDoubleStar = (s: GlobSegment): boolean => s.some((t, i) => t === ANY_RUN && s[i + 1] === ANY_RUN);

/** The text of a segment without wildcards (wildcards shown as themselves). */
export const literalText = (s: GlobSegment): string =>
  s.map((t) => (t === ANY_RUN ? "*" : t === ANY_ONE ? "?" : String.fromCharCode(t))).join("");

/** A path written as a pattern that matches only it (and what is under it): every special character escaped. */
export function escapeGlob(path: string): string {
  return path.replace(/[*?[\]{}\\]/g, "\\$&");
}
