/** The engine's multiplexed log stream into lines: frames and lines split anywhere, TTY raw mode, timestamps and resume points. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LogDecoder, MAX_LINE_BYTES, sinceParam, tsAfter } from "@/server/logs/logFrames";
import { engineSince, LogsQuery } from "@/server/logs/logsInput";

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

const T1 = "2026-12-02T10:00:00.123456789Z";
const T2 = "2026-12-02T10:00:00.123456790Z";

describe("LogDecoder", () => {
  it("tells stdout from stderr, reads timestamps, and keeps a line split across frames whole", () => {
    const d = new LogDecoder(false);
    const lines = [...d.push(Buffer.concat([frame(1, `${T1} hello\n${T2} wor`), frame(2, `${T2} oops\n`)])), ...d.push(frame(1, "ld\n"))];
    expect(lines).toEqual([
      { stream: "stdout", ts: T1, text: "hello" },
      { stream: "stderr", ts: T2, text: "oops" },
      { stream: "stdout", ts: T2, text: "world" },
    ]);
  });

  it("gives the same lines however the bytes are chunked", () => {
    const bytes = Buffer.concat([frame(1, `${T1} a\n${T1} b\n`), frame(2, `${T2} c\n`), frame(1, `${T2} dé\n`)]);
    const whole = new LogDecoder(false).push(bytes);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 8 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const d = new LogDecoder(false);
        const out = [];
        let from = 0;
        for (const p of [...points, bytes.length]) {
          out.push(...d.push(bytes.subarray(from, p)));
          from = p;
        }
        expect(out).toEqual(whole);
      }),
    );
  });

  it("reads a TTY's raw bytes as stdout, strips carriage returns, flushes a last line without newline", () => {
    const d = new LogDecoder(true);
    expect(d.push(Buffer.from(`${T1} one\r\n${T2} tw`))).toEqual([{ stream: "stdout", ts: T1, text: "one" }]);
    expect(d.flush()).toEqual([{ stream: "stdout", ts: T2, text: "tw" }]);
  });

  it("cuts an endless line instead of buffering it forever", () => {
    const d = new LogDecoder(true);
    const out = d.push(Buffer.from("x".repeat(MAX_LINE_BYTES + 10)));
    expect(out).toHaveLength(1);
    expect(out[0]!.text.length).toBeLessThanOrEqual(MAX_LINE_BYTES + 10);
  });
});

describe("resume points", () => {
  it("orders engine timestamps to the nanosecond and turns them into the engine's since", () => {
    expect(sinceParam(T1)).toBe(`${Date.parse("2026-12-02T10:00:00Z") / 1000}.123456789`);
    expect(sinceParam("2026-12-02T10:00:00Z")).toBe(`${Date.parse("2026-12-02T10:00:00Z") / 1000}.000000000`);
    expect(tsAfter(T2, T1)).toBe(true);
    expect(tsAfter(T1, T2)).toBe(false);
    expect(tsAfter(T1, T1)).toBe(false);
  });

  it("takes since as a duration or a time", () => {
    const now = Date.parse("2026-12-02T10:00:00Z");
    expect(engineSince("15m", now)).toBe(String(now / 1000 - 900));
    expect(engineSince("2026-12-02T09:00:00Z", now)).toBe(String(now / 1000 - 3600));
    expect(engineSince(undefined, now)).toBeNull();
    expect(LogsQuery.safeParse({ since: "yesterday" }).success).toBe(false);
    // The right shape but no such day: a 400 here, not a stream that retries the engine's refusal forever.
    expect(LogsQuery.safeParse({ since: "2026-13-40T00:00:00Z" }).success).toBe(false);
    expect(LogsQuery.safeParse({ stdout: "false", stderr: "false" }).success).toBe(false);
    expect(LogsQuery.parse({})).toMatchObject({ follow: true, tail: 200, format: "sse" });
  });
});
