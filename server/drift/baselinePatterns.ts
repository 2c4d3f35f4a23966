/** Baseline, pure: the ignore patterns that would turn a container's current filesystem findings into expected noise. */
import { dirOf, type StoredChange } from "./changes";
import { ignorePatternProblem } from "./driftInput";

/** More changes than this directly in one directory become one rule for the directory. */
export const BASELINE_DIR_THRESHOLD = 10;

function usable(pattern: string): string | null {
  for (let p = pattern; p !== "/"; p = dirOf(p)) if (!ignorePatternProblem(p)) return p;
  return null;
}

/** Patterns for every change not ignored yet: a path each, or its directory when the directory has many. */
export function baselinePatterns(changes: StoredChange[], isIgnored: (path: string) => boolean): string[] {
  const byDir = new Map<string, string[]>();
  for (const [, path] of changes) {
    if (isIgnored(path)) continue;
    const dir = dirOf(path);
    byDir.set(dir, [...(byDir.get(dir) ?? []), path]);
  }
  const patterns = new Set<string>();
  for (const [dir, paths] of byDir) {
    if (dir !== "/" && paths.length > BASELINE_DIR_THRESHOLD) {
      const p = usable(dir);
      if (p) {
        patterns.add(p);
        continue;
      }
    }
    for (const path of paths) {
      const p = usable(path);
      if (p) patterns.add(p);
    }
  }
  // A directory rule covers the paths under it.
  const all = [...patterns].sort();
  return all.filter((p) => !all.some((q) => q !== p && p.startsWith(`${q}/`)));
}
