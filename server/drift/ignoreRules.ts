/** Ignore rules, pure: which filesystem changes are expected noise. */

export type IgnoreRule = { id: number; pattern: string; serviceName: string | null };
export type PathMatcher = (path: string) => boolean;

const GLOB = /[*?]/;

function escape(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, "\\$&");
}

/**
 * `/tmp` matches /tmp and everything under it (not /tmpfile). A glob matches a
 * path or anything under a matching path: `*` and `?` stay within one segment,
 * a `**` segment spans any number of them (`/app/**\/cache`, `**\/*.pyc`).
 */
export function compilePattern(pattern: string): PathMatcher {
  const p = pattern.length > 1 ? pattern.replace(/\/+$/, "") : pattern;
  if (p === "/") return () => true;
  if (!GLOB.test(p)) return (path) => path === p || path.startsWith(`${p}/`);
  const body = p
    .split("/")
    .map((seg, i) => (i === 0 && seg === "" ? "" : seg === "**" ? "(?:/[^/]+)*" : `/${escape(seg).replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}`))
    .join("");
  const re = new RegExp(`^${body}(?:/.*)?$`);
  return (path) => re.test(path);
}

/** The rules that apply to a container of `serviceName` (global rules and the service's own), compiled. */
export function rulesFor(rules: IgnoreRule[], serviceName: string | null): { rule: IgnoreRule; match: PathMatcher }[] {
  return rules.filter((r) => r.serviceName === null || r.serviceName === serviceName).map((rule) => ({ rule, match: compilePattern(rule.pattern) }));
}

/** The id of the first rule ignoring `path`, or null. */
export function ignoredBy(compiled: { rule: IgnoreRule; match: PathMatcher }[], path: string): number | null {
  for (const c of compiled) if (c.match(path)) return c.rule.id;
  return null;
}
