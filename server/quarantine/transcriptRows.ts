import "server-only";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { quarantineTranscript } from "@/db/schema";
import { entryCommand, entryOutcome, type TranscriptEntry } from "./transcriptFormat";

type TranscriptRow = typeof quarantineTranscript.$inferSelect;

/** A command as it starts (no exit code yet): a dashboard that stops meanwhile leaves it visibly unfinished. */
export function insertTranscriptEntry(
  tx: Tx,
  values: { quarantineId: number; by: string; startedAt: Date; argv: string[]; shellLine: string | null },
): number {
  return tx
    .insert(quarantineTranscript)
    .values({ ...values, argv: JSON.stringify(values.argv) })
    .returning({ id: quarantineTranscript.id })
    .get().id;
}

export function finishTranscriptEntry(
  tx: Tx,
  id: number,
  set: Pick<TranscriptRow, "exitCode" | "durationMs" | "output" | "outputBytes" | "truncated" | "timedOut" | "error">,
): void {
  tx.update(quarantineTranscript).set(set).where(eq(quarantineTranscript.id, id)).run();
}

const entry = (r: TranscriptRow): TranscriptEntry => ({
  id: r.id,
  by: r.by,
  startedAt: r.startedAt.getTime(),
  argv: JSON.parse(r.argv) as string[],
  shellLine: r.shellLine,
  exitCode: r.exitCode,
  durationMs: r.durationMs,
  output: r.output,
  outputBytes: r.outputBytes,
  truncated: r.truncated,
  timedOut: r.timedOut,
  error: r.error,
});

/** A quarantine's transcript, oldest first. */
export function transcriptOf(tx: Tx, quarantineId: number): TranscriptEntry[] {
  return tx
    .select()
    .from(quarantineTranscript)
    .where(eq(quarantineTranscript.quarantineId, quarantineId))
    .orderBy(quarantineTranscript.id)
    .all()
    .map(entry);
}

/** The transcript as the page shows it: each entry with its command as typed and how it ended, in words. */
export function transcriptView(tx: Tx, quarantineId: number) {
  return transcriptOf(tx, quarantineId).map((e) => ({ ...e, command: entryCommand(e), outcome: entryOutcome(e) }));
}
export type TranscriptViewEntry = ReturnType<typeof transcriptView>[number];
