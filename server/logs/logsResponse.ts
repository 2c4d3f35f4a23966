import "server-only";
import type { LogTarget } from "./followContainerLogs";
import { parseLogResume } from "./logCursor";
import { logEventStream } from "./logEventStream";
import { engineSince, type LogsQuery } from "./logsInput";

/** The HTTP answer of a log endpoint: an event stream, or a text download of what is there now. */
export function logsResponse(req: Request, targets: LogTarget[], query: LogsQuery, filename: string, merged: boolean): Response {
  const text = query.format === "text";
  const resume = text ? null : parseLogResume(req.headers.get("last-event-id"));
  const stream = logEventStream(
    targets,
    {
      follow: !text && query.follow,
      tail: query.tail,
      since: engineSince(query.since),
      stdout: query.stdout,
      stderr: query.stderr,
    },
    query.format,
    merged,
    resume,
  );
  return new Response(stream, {
    headers: text
      ? { "content-type": "text/plain; charset=utf-8", "content-disposition": `attachment; filename="${filename}.log"` }
      : { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
}
