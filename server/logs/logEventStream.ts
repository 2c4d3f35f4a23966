import "server-only";
import { followContainerLogs, type LogEvent, type LogOptions, type LogTarget } from "./followContainerLogs";
import { cursorKey, logCursorId, resumeAfterFor, type LogResume } from "./logCursor";

const HEARTBEAT_MS = 15_000;
/** A client that cannot keep up: lines beyond this many queued bytes are dropped and the drop is said. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/** `id`: what a reconnecting EventSource sends back as Last-Event-ID to resume after this line (logCursor.ts). */
function sseFrame(e: LogEvent, id: string | null): string {
  const data = JSON.stringify(e);
  return e.kind === "line" && id ? `id: ${id}\nevent: line\ndata: ${data}\n\n` : `event: ${e.kind}\ndata: ${data}\n\n`;
}

function textLine(e: LogEvent, merged: boolean): string {
  // A download is the log itself: only what interrupted it is noted.
  if (e.kind === "status")
    return e.state === "lost" || e.state === "stopped" ? `# ${e.container} on ${e.host}: ${e.state}: ${e.message}\n` : "";
  return `${e.ts} ${merged ? `${e.container} ` : ""}${e.stream === "stderr" ? "[stderr] " : ""}${e.text}\n`;
}

/**
 * The logs of one or more containers as one stream: server-sent events (lines
 * and status changes, heartbeats, resumable by Last-Event-ID), or plain text
 * for a download. Every container is followed on its own; the stream ends when
 * all of them ended or the client went away.
 */
export function logEventStream(
  targets: LogTarget[],
  /** Every container's options but where to resume, which comes from `resume`. */
  opts: Omit<LogOptions, "afterTs">,
  format: "sse" | "text",
  /** Lines name their container (a service's stream); its event ids are cursors over all of them. */
  merged: boolean,
  /** Where a reconnecting reader left off (its Last-Event-ID), or null to start with `opts.tail`. */
  resume: LogResume | null = null,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const abort = new AbortController();
  let heartbeat: NodeJS.Timeout | null = null;
  let open = true;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let dropped = 0;
        const write = (text: string) => {
          if (!open || text === "") return;
          if ((controller.desiredSize ?? 0) < -MAX_QUEUED_BYTES) {
            dropped++;
            return;
          }
          if (dropped) {
            controller.enqueue(
              encoder.encode(
                format === "sse"
                  ? `event: dropped\ndata: {"lines":${dropped}}\n\n`
                  : `# ${dropped} lines dropped: the reader was too slow\n`,
              ),
            );
            dropped = 0;
          }
          controller.enqueue(encoder.encode(text));
        };
        const close = () => {
          if (!open) return;
          open = false;
          if (heartbeat) clearInterval(heartbeat);
          controller.close();
        };
        if (format === "sse") {
          write(`retry: 2000\n: ${targets.length} container(s)\n\n`);
          heartbeat = setInterval(() => write(": heartbeat\n\n"), HEARTBEAT_MS);
        }
        if (targets.length === 0) {
          write(
            format === "sse"
              ? `event: status\ndata: ${JSON.stringify({ kind: "status", state: "ended", message: "no containers" })}\n\n`
              : "",
          );
          close();
          return;
        }
        // Each container's last line sent (resumed ones included, gone ones dropped): a merged stream's id holds them all.
        const keys = new Map(targets.map((t) => [t, cursorKey(t.container)]));
        const cursor = new Map<string, string>();
        for (const key of keys.values()) {
          const ts = resume?.byContainer.get(key);
          if (ts) cursor.set(key, ts);
        }
        const frame = (e: LogEvent, key: string) => {
          if (format === "text") return textLine(e, merged);
          if (e.kind !== "line" || !e.ts) return sseFrame(e, null);
          if (!merged) return sseFrame(e, e.ts);
          cursor.set(key, e.ts);
          return sseFrame(e, logCursorId(cursor));
        };
        void Promise.all(
          targets.map(async (t) => {
            const key = keys.get(t)!;
            try {
              const afterTs = resumeAfterFor(resume, key);
              for await (const e of followContainerLogs(t, { ...opts, afterTs }, abort.signal)) write(frame(e, key));
            } catch (err) {
              const message = err instanceof Error ? err.message : String(err);
              write(frame({ kind: "status", container: t.label, host: t.host.name, state: "ended", message, at: Date.now() }, key));
            }
          }),
        ).finally(close);
      },
      cancel() {
        open = false;
        abort.abort();
        if (heartbeat) clearInterval(heartbeat);
      },
    },
    // Counted in bytes, so the backlog limit above is one of bytes, not of chunks.
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );
}
