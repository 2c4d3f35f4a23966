/** Query of the log endpoints. Shared by the API, the log view and OpenAPI: zod only. */
import { z } from "zod";

const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((v) => (v === undefined ? fallback : v === "true" || v === "1"));

/** `15m`, `2h`, `1d` (that long ago) or an RFC 3339 time. */
const Since = z
  .string()
  .regex(
    /^(\d{1,6}[smhd]|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}))$/,
    "since: a duration like 15m, 2h, 1d, or a time like 2026-12-02T10:00:00Z",
  )
  .refine((v) => /^\d+[smhd]$/.test(v) || !Number.isNaN(Date.parse(v)), "since: not a real date and time");

export const LogsQuery = z
  .object({
    follow: flag(true),
    tail: z.coerce.number().int("tail: a whole number").min(0, "tail: 0 or more").max(10_000, "tail: at most 10000").default(200),
    since: Since.optional(),
    stdout: flag(true),
    stderr: flag(true),
    /** `text`: a plain-text download of what is there now (never follows). */
    format: z.enum(["sse", "text"]).default("sse"),
  })
  .strict()
  .refine((q) => q.stdout || q.stderr, "stdout and stderr are both off: nothing to show");
export type LogsQuery = z.infer<typeof LogsQuery>;

/** Pure: `since` as the engine takes it (`<seconds>.<nanoseconds>` or whole seconds). */
export function engineSince(since: string | undefined, now = Date.now()): string | null {
  if (!since) return null;
  const m = /^(\d+)([smhd])$/.exec(since);
  if (m) {
    const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as "s" | "m" | "h" | "d"];
    return String(Math.floor(now / 1000) - Number(m[1]) * unit);
  }
  return String(Math.floor(Date.parse(since) / 1000));
}
