import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { quarantines } from "./quarantine";

/**
 * The debug console's transcript: every command run in a quarantined
 * container, append-only, with who, when, how long, the exit code and the
 * output (capped, secret values masked). It goes into the forensic bundle.
 */
export const quarantineTranscript = sqliteTable(
  "quarantine_transcript",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    quarantineId: integer("quarantine_id")
      .notNull()
      .references(() => quarantines.id, { onDelete: "cascade" }),
    by: text("by").notNull(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    /** JSON array: the argv given to docker exec (a shell line is ["sh", "-c", line]). */
    argv: text("argv").notNull(),
    /** The shell line as typed, when the command was one. */
    shellLine: text("shell_line"),
    /** null while running, when the exec could not start, or when the time limit cut it off. */
    exitCode: integer("exit_code"),
    durationMs: integer("duration_ms"),
    /** stdout and stderr in the order they came, stderr lines marked "[stderr] ", up to the cap. */
    output: text("output").notNull().default(""),
    /** Every byte the command wrote, kept or not. */
    outputBytes: integer("output_bytes").notNull().default(0),
    truncated: integer("truncated", { mode: "boolean" }).notNull().default(false),
    timedOut: integer("timed_out", { mode: "boolean" }).notNull().default(false),
    /** Why it did not run or did not finish (engine error), if so. */
    error: text("error"),
  },
  (t) => [index("quarantine_transcript_quarantine").on(t.quarantineId)],
);
