/** Baseline, pure: the ignore patterns that would turn a container's current filesystem findings into expected noise. */
import { dirOf, type StoredChange } from "./changes";
import { IgnorePattern } from "./driftInput";
import { escapeGlob } from "./globPattern";

/** More changes than this directly in one directory become one rule for the directory. */
export const BASELINE_DIR_THRESHOLD = 10;

/**
 * The pattern that stands for exactly `path` (a container chooses its file
 * names: `*`, `?`, `[`... in them are escaped, never wildcards), or null when
 * no valid pattern can (control characters, trailing spaces that trimming
 * would drop, over the length limit).
 */
export function literalPattern(path: string): string | null {
  const pattern = escapeGlob(path);
  const parsed = IgnorePattern.safeParse(pattern);
  return parsed.success && parsed.data === pattern ? pattern : null;
}

/**
 * Patterns for every change not ignored yet: a path each, or its directory
 * when the directory has many. A path no pattern can stand for is left out
 * and pushed to `skipped` (never widened to its parent directory).
 */
export function baselinePatterns(changes: StoredChange[], isIgnored: (path: string) => boolean, skipped: string[] = []): string[] {
  const byDir = new Map<string, string[]>();
  for (const [, path] of changes) {
    if (isIgnored(path)) continue;
    const dir = dirOf(path);
    const list = byDir.get(dir);
    if (list) list.push(path);
    else byDir.set(dir, [path]);
  }
  const patterns = new Set<string>();
  for (const [dir, paths] of byDir) {
    const dirPattern = dir !== "/" && paths.length > BASELINE_DIR_THRESHOLD ? literalPattern(dir) : null;
    if (dirPattern) {
      patterns.add(dirPattern);
      continue;
    }
    for (const path of paths) {
      const p = literalPattern(path);
      if (p) patterns.add(p);
      else skipped.push(path);
    }
  }
  // A directory rule covers the paths under it.
  const all = [...patterns].sort();
  return all.filter((p) => !all.some((q) => q !== p && p.startsWith(`${q}/`)));
}
