/**
 * The debug console's output recorder: turns an exec's stdout/stderr chunks
 * into what is streamed and kept (lines, stderr marked as in logs.txt, secret
 * values masked, capped). No server imports: unit-tested.
 */
import { StringDecoder } from "node:string_decoder";
import { redactValues } from "./forensicsFormat";

export type OutputStream = "stdout" | "stderr";
export type OutputPiece = { stream: OutputStream; text: string };

/** A partial line is held back until its newline, unless it grows past this (then it goes out as it is). */
const HOLD_MAX_CHARS = 4096;

/**
 * Collects an exec's output. Text goes out line by line, so a secret value is
 * masked even when the engine splits it across two chunks (a value that spans
 * a newline, or a line over 4 KiB, is the exception). Stored and streamed
 * output are the same text and stop at `capBytes`; every byte is still counted.
 */
export class OutputRecorder {
  private readonly decoders = { stdout: new StringDecoder("utf8"), stderr: new StringDecoder("utf8") };
  private readonly held = { stdout: "", stderr: "" };
  private kept = "";
  private keptBytes = 0;
  /** Bytes the command wrote, before masking and the cap. */
  totalBytes = 0;
  truncated = false;

  constructor(
    private readonly capBytes: number,
    private readonly secretValues: readonly string[],
  ) {}

  /** Takes a chunk; returns the pieces to stream now (already in `output`). */
  write(stream: OutputStream, chunk: Buffer): OutputPiece[] {
    this.totalBytes += chunk.length;
    const text = this.held[stream] + this.decoders[stream].write(chunk);
    const cut = text.length > HOLD_MAX_CHARS ? text.length : text.lastIndexOf("\n") + 1;
    this.held[stream] = text.slice(cut);
    return this.keep(stream, text.slice(0, cut));
  }

  /** At the end: whatever was held back (a last line without a newline). */
  end(): OutputPiece[] {
    const out: OutputPiece[] = [];
    for (const stream of ["stdout", "stderr"] as const) {
      const rest = this.held[stream] + this.decoders[stream].end();
      this.held[stream] = "";
      out.push(...this.keep(stream, rest));
    }
    return out;
  }

  get output(): string {
    return this.kept;
  }

  private keep(stream: OutputStream, raw: string): OutputPiece[] {
    if (!raw || this.truncated) return [];
    const masked = redactValues(raw, this.secretValues);
    let text = stream === "stderr" ? masked.replace(/^(?=.)/gm, "[stderr] ") : masked;
    const room = this.capBytes - this.keptBytes;
    const bytes = Buffer.byteLength(text);
    if (bytes > room) {
      text = fitBytes(text, room);
      this.truncated = true;
    }
    this.kept += text;
    this.keptBytes += Buffer.byteLength(text);
    return text ? [{ stream, text }] : [];
  }
}

/** The longest prefix of `text` that fits in `bytes` of UTF-8, never cutting a character in half. */
export function fitBytes(text: string, bytes: number): string {
  if (bytes <= 0) return "";
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= bytes) return text;
  let end = bytes;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--; // back off to the start of a character
  return buf.subarray(0, end).toString("utf8");
}

/**
 * Splits the multiplexed stream of a non-TTY exec into its frames, in order
 * ([stream, 0, 0, 0, size (uint32 BE)] + payload; 1 stdout, 2 stderr),
 * across chunk boundaries. One parser for both streams keeps their order,
 * which two separate writable streams would not.
 */
export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): { stream: OutputStream; data: Buffer }[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: { stream: OutputStream; data: Buffer }[] = [];
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const kind = this.pending[0];
      if (kind === 1 || kind === 2) frames.push({ stream: kind === 2 ? "stderr" : "stdout", data: this.pending.subarray(8, 8 + size) });
      this.pending = this.pending.subarray(8 + size);
    }
    return frames;
  }
}
