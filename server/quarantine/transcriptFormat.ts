/**
 * The debug console's transcript as people read it: a command as typed, how
 * it ended, and the whole transcript as text for the page and the forensic
 * bundle. No imports at all: used by client components and unit-tested.
 */
/** argv as a shell would read it back: words with anything but safe characters single-quoted. */
export function quoteArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(" ");
}

export type TranscriptEntry = {
  id: number;
  by: string;
  startedAt: number;
  argv: string[];
  shellLine: string | null;
  exitCode: number | null;
  durationMs: number | null;
  output: string;
  outputBytes: number;
  truncated: boolean;
  timedOut: boolean;
  error: string | null;
};

/** How a command ended, in words: "exit 0 in 120 ms", "cut off at the 30 s limit", … */
export function entryOutcome(e: TranscriptEntry): string {
  const took = e.durationMs === null ? "" : ` after ${formatMs(e.durationMs)}`;
  if (e.error) return `failed${took}: ${e.error}`;
  if (e.timedOut)
    return e.exitCode === null
      ? `cut off at the time limit${took} (it may still run in the container: it could not be stopped)`
      : `cut off at the time limit${took} and stopped (exit ${e.exitCode})`;
  if (e.durationMs === null) return "did not finish (the dashboard stopped while it ran)";
  return `exit ${e.exitCode ?? "?"}${took.replace(" after", " in")}`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The command as typed: the shell line with a `$ ` prompt, or the argv quoted. */
export function entryCommand(e: Pick<TranscriptEntry, "argv" | "shellLine">): string {
  return e.shellLine !== null ? `$ ${e.shellLine}` : `# ${quoteArgv(e.argv)}`;
}

/** The whole transcript as plain text (transcript.txt in the bundle). */
export function transcriptText(entries: readonly TranscriptEntry[]): string {
  if (entries.length === 0) return "No command was run in the debug console.\n";
  return entries
    .map((e) => {
      const head = `#${e.id} ${new Date(e.startedAt).toISOString()} by ${e.by}: ${entryOutcome(e)}`;
      const argv = `argv: ${JSON.stringify(e.argv)}`;
      const out = e.output === "" ? "" : e.output.endsWith("\n") ? e.output : `${e.output}\n`;
      const cap = e.truncated
        ? `[output cut at the cap: ${new TextEncoder().encode(e.output).length} of ${e.outputBytes} bytes kept]\n`
        : "";
      return `${head}\n${entryCommand(e)}\n${argv}\n${out}${cap}`;
    })
    .join("\n");
}
