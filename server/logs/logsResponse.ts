import "server-only";
import type { LogTarget } from "./followContainerLogs";
import { logEventStream } from "./logEventStream";
import { engineSince, type LogsQuery } from "./logsInput";

/** The HTTP answer of a log endpoint: an event stream, or a text download of what is there now. */
export function logsResponse(req: Request, targets: LogTarget[], query: LogsQuery, filename: string, merged: boolean): Response {
  const lastEventId = req.headers.get("last-event-id");
  const resumeAfter = lastEventId && /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(lastEventId) ? lastEventId : null;
  const text = query.format === "text";
  const stream = logEventStream(
    targets,
    {
      follow: !text && query.follow,
      tail: query.tail,
      since: engineSince(query.since),
      afterTs: text ? null : resumeAfter,
      stdout: query.stdout,
      stderr: query.stderr,
    },
    query.format,
    merged,
  );
  return new Response(stream, {
    headers: text
      ? { "content-type": "text/plain; charset=utf-8", "content-disposition": `attachment; filename="${filename}.log"` }
      : { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
}
