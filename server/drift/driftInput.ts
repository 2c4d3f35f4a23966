/** Drift API inputs: shared by the route handlers, the ignore-rule form and OpenAPI. zod only. */
import { z } from "zod";
import { HostName } from "@/server/hosts/hostInput";
import { ServiceName } from "@/server/services/serviceSpecInput";
import { hasDoubleStar, isDeep, parseGlob } from "./globPattern";
import { CHANGE_KINDS, CHANGES_PAGE_SIZE, CHANGES_PAGE_SIZE_MAX } from "./constants";

/**
 * Why an ignore pattern is malformed, or null. Forms: a path prefix `/tmp`, or
 * a glob with `*`, `?` and `**` segments; a backslash makes `*`, `?`, `[`, `]`,
 * `{`, `}` or `\\` literal. Checked on the trimmed text (IgnorePattern trims first).
 */
export function ignorePatternProblem(p: string): string | null {
  if (!p.startsWith("/") && !p.startsWith("**/")) return "must start with '/' (a path) or '**/' (any directory)";
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(p)) return "must not contain control characters";
  const glob = parseGlob(p);
  if (glob.badEscape) return "a backslash may only escape one of * ? [ ] { } \\ (it makes that character literal)";
  if (glob.reserved) return "only '*', '?' and '**' are supported as wildcards (no [] or {}; write \\[ for a literal '[')";
  const segments = p.split("/").slice(1);
  if (p !== "/" && segments.slice(0, -1).some((s) => s === "")) return "must not contain '//'";
  if (segments.some((s) => s === "." || s === "..")) return "must not contain '.' or '..' segments";
  if (glob.segments.some((s) => hasDoubleStar(s) && !isDeep(s))) return "'**' must be a whole path segment, like /app/**/cache";
  if (glob.segments.some((s, i) => isDeep(s) && isDeep(glob.segments[i + 1] ?? []))) return "'**/**' is the same as '**'";
  return null;
}

export const IgnorePattern = z
  .string()
  .trim()
  .min(1, "pattern is required")
  .max(512, "pattern: at most 512 characters")
  .superRefine((p, ctx) => {
    const problem = ignorePatternProblem(p);
    if (problem) ctx.addIssue({ code: "custom", message: `pattern ${problem}` });
  });

export const IgnoreRuleInput = z
  .object({
    pattern: IgnorePattern,
    /** null: every service (global); otherwise only that service's containers. */
    service: ServiceName.nullable().default(null),
    note: z.string().trim().max(200, "note: at most 200 characters").default(""),
  })
  .strict();
export type IgnoreRuleInput = z.infer<typeof IgnoreRuleInput>;

export const IgnoreRulePatch = z
  .object({ pattern: IgnorePattern.optional(), service: ServiceName.nullable().optional(), note: z.string().trim().max(200).optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, "give at least one of pattern, service or note");

export const HostParam = z.object({ host: HostName });
export const ContainerParams = z.object({
  host: HostName,
  /** A container ID (12-64 hex characters) or name, as the engine knows it. */
  container: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, "container: an ID or a name (letters, digits, '_', '.', '-')"),
});

const flag = z
  .enum(["true", "false", "1", "0"])
  .optional()
  .transform((v) => v === "true" || v === "1");
export const DriftReportQuery = z
  .object({
    /** CI form: answer 409 when anything drifted or is unaccounted (the body still carries the report). */
    fail: flag,
  })
  .strict();
export const ScanQuery = z.object({ wait: flag }).strict();

export const ChangesQuery = z
  .object({
    page: z.coerce.number().int().min(1, "page starts at 1").default(1),
    pageSize: z.coerce
      .number()
      .int()
      .min(1)
      .max(CHANGES_PAGE_SIZE_MAX, `pageSize: at most ${CHANGES_PAGE_SIZE_MAX}`)
      .default(CHANGES_PAGE_SIZE),
    /** Only changes directly in this directory. */
    dir: z.string().startsWith("/", "dir must start with '/'").max(4096).optional(),
    kind: z.enum(CHANGE_KINDS).optional(),
    ignored: z.enum(["include", "exclude", "only"]).default("include"),
  })
  .strict();
export type ChangesQuery = z.infer<typeof ChangesQuery>;

export const FileQuery = z.object({ path: z.string().startsWith("/", "path must start with '/'").max(4096) }).strict();
