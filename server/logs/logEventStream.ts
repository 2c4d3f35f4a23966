import "server-only";
import { followContainerLogs, type LogEvent, type LogOptions, type LogTarget } from "./followContainerLogs";

const HEARTBEAT_MS = 15_000;
/** A client that cannot keep up: lines beyond this many queued bytes are dropped and the drop is said. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

function sseFrame(e: LogEvent): string {
  const data = JSON.stringify(e);
  // The id is the line's engine timestamp: a reconnecting EventSource sends it back as Last-Event-ID to resume after it.
  return e.kind === "line" && e.ts ? `id: ${e.ts}\nevent: line\ndata: ${data}\n\n` : `event: ${e.kind}\ndata: ${data}\n\n`;
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
  opts: LogOptions,
  format: "sse" | "text",
  /** Lines name their container (a service's stream). */
  merged: boolean,
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
        void Promise.all(
          targets.map(async (t) => {
            try {
              for await (const e of followContainerLogs(t, opts, abort.signal)) write(format === "sse" ? sseFrame(e) : textLine(e, merged));
            } catch (err) {
              const message = err instanceof Error ? err.message : String(err);
              const e: LogEvent = { kind: "status", container: t.label, host: t.host.name, state: "ended", message, at: Date.now() };
              write(format === "sse" ? sseFrame(e) : textLine(e, merged));
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
