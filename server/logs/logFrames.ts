/**
 * Pure: turns the bytes of `GET /containers/{id}/logs?timestamps=1` into lines.
 * Without a TTY the engine multiplexes stdout and stderr in frames (an 8-byte
 * header: stream type, 3 zero bytes, big-endian payload length); with a TTY
 * it sends raw bytes (all "stdout"). Frames and lines can be split anywhere
 * across chunks: both are buffered until complete.
 */
export type LogStreamName = "stdout" | "stderr";
export type LogLine = { stream: LogStreamName; /** RFC 3339 with nanoseconds, as the engine stamped it. */ ts: string; text: string };

/** A line longer than this is cut (a binary blob without newlines must not grow without bound). */
export const MAX_LINE_BYTES = 16 * 1024;

export class LogDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private partial: Record<LogStreamName, string> = { stdout: "", stderr: "" };

  constructor(private readonly tty: boolean) {}

  /** Feeds a chunk; returns the complete lines it finished. */
  push(chunk: Buffer): LogLine[] {
    const out: LogLine[] = [];
    if (this.tty) {
      this.text("stdout", chunk.toString("utf8"), out);
      return out;
    }
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const stream: LogStreamName = this.pending[0] === 2 ? "stderr" : "stdout";
      this.text(stream, this.pending.subarray(8, 8 + size).toString("utf8"), out);
      this.pending = this.pending.subarray(8 + size);
    }
    return out;
  }

  /** The end of the stream: whatever partial lines are left. */
  flush(): LogLine[] {
    const out: LogLine[] = [];
    for (const stream of ["stdout", "stderr"] as const) {
      if (this.partial[stream]) out.push(parseStamped(stream, this.partial[stream]));
      this.partial[stream] = "";
    }
    return out;
  }

  private text(stream: LogStreamName, text: string, out: LogLine[]): void {
    const parts = (this.partial[stream] + text).split("\n");
    this.partial[stream] = parts.pop()!;
    if (this.partial[stream].length > MAX_LINE_BYTES) {
      parts.push(this.partial[stream]);
      this.partial[stream] = "";
    }
    for (const p of parts) out.push(parseStamped(stream, p.replace(/\r$/, "")));
  }
}

const STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) (.*)$/s;

function parseStamped(stream: LogStreamName, line: string): LogLine {
  const m = STAMP.exec(line);
  const text = m ? m[2]! : line;
  return { stream, ts: m ? m[1]! : "", text: text.length > MAX_LINE_BYTES ? `${text.slice(0, MAX_LINE_BYTES)}… [cut]` : text };
}

/** Pure: RFC 3339 (nanoseconds) → the engine's `since` form, `<seconds>.<nanoseconds>`. */
export function sinceParam(ts: string): string | null {
  const m = /^(.*?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!m) return null;
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(seconds)) return null;
  return `${Math.floor(seconds / 1000)}.${(m[2] ?? "").padEnd(9, "0")}`;
}

/** Pure: orders two engine timestamps (same zone, as the engine writes them: UTC). */
export function tsAfter(a: string, b: string): boolean {
  const [sa, sb] = [sinceParam(a), sinceParam(b)];
  if (!sa || !sb) return true;
  const [as, an] = sa.split(".").map(Number) as [number, number];
  const [bs, bn] = sb.split(".").map(Number) as [number, number];
  return as > bs || (as === bs && an > bn);
}
