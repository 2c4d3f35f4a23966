import "server-only";
import type { ConsoleEvent, ConsoleRun } from "./runConsoleCommand";

/**
 * A console command as a streamed answer: one JSON object per line
 * (application/x-ndjson) — start, each piece of output as it comes, end with
 * the transcript entry. The command runs to its end (and is recorded) even
 * when the browser goes away.
 */
export function consoleResponse(run: ConsoleRun): Response {
  const encoder = new TextEncoder();
  let open = true;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const emit = (e: ConsoleEvent) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(e)}\n`));
        } catch {
          open = false;
        }
      };
      void run(emit)
        .catch((err: unknown) => emit({ type: "output", stream: "stderr", text: `[console] ${String(err)}\n` }))
        .finally(() => {
          if (open) controller.close();
          open = false;
        });
    },
    cancel() {
      open = false;
    },
  });
  return new Response(body, {
    headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" },
  });
}
