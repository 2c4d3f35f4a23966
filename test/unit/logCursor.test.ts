/** A merged log stream's event id: every container's last line, so a reconnect resumes each where it was. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cursorKey, encodeLogCursor, logCursorId, MAX_ID_CHARS, parseLogResume, resumeAfterFor } from "@/server/logs/logCursor";

const A = "2026-12-02T10:00:01.000000001Z";
const B = "2026-12-02T10:00:05.500000000Z";

describe("log cursor", () => {
  it("resumes each container after its own last line, not after the newest line of any", () => {
    const resume = parseLogResume(
      encodeLogCursor(
        new Map([
          ["web-r1-alpha-1", B],
          ["web-r1-beta-1", A],
        ]),
      ),
    );
    expect(resumeAfterFor(resume, "web-r1-alpha-1")).toBe(B);
    // beta's lines between A and B were not sent yet: it resumes after A, where the old single-timestamp id would have skipped them.
    expect(resumeAfterFor(resume, "web-r1-beta-1")).toBe(A);
  });

  it("starts a container the cursor does not name from the earliest point it holds", () => {
    const resume = parseLogResume(
      encodeLogCursor(
        new Map([
          ["x", B],
          ["y", A],
        ]),
      ),
    );
    expect(resumeAfterFor(resume, "new-container")).toBe(A);
  });

  it("reads one container's id (a bare timestamp) as that point for every container", () => {
    expect(resumeAfterFor(parseLogResume(A), "anything")).toBe(A);
    expect(resumeAfterFor(parseLogResume(null), "anything")).toBeNull();
  });

  it("ignores ids that are not ours: the stream starts afresh instead of failing", () => {
    for (const id of ["", "garbage", "a=notatime", "=2026-12-02T10:00:01Z", "%E0%A4%A=2026-12-02T10:00:01Z", `x=${A},`, "x".repeat(20_000)])
      expect(parseLogResume(id), id.slice(0, 40)).toBeNull();
  });

  it("round-trips any container names and timestamps", () => {
    const ts = fc
      .tuple(fc.integer({ min: 0, max: 2_000_000_000 }), fc.integer({ min: 0, max: 999_999_999 }))
      .map(([s, ns]) => `${new Date(s * 1000).toISOString().slice(0, 19)}.${String(ns).padStart(9, "0")}Z`);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string({ minLength: 1 }), ts), { selector: ([n]) => n, minLength: 1, maxLength: 20 }),
        (pairs) => {
          const cursor = new Map(pairs);
          const resume = parseLogResume(encodeLogCursor(cursor));
          expect(resume?.byContainer).toEqual(cursor);
          for (const [name, t] of pairs) expect(resumeAfterFor(resume, name)).toBe(t);
        },
      ),
    );
  });

  it("keys a container by its short ID, which a quarantine's rename does not change", () => {
    expect(cursorKey("0123456789abcdef".repeat(4))).toBe("0123456789ab");
  });

  it("falls back to the earliest timestamp alone past the size limit: a reconnect repeats lines rather than skip any", () => {
    const few = new Map([
      ["a", B],
      ["b", A],
    ]);
    expect(logCursorId(few)).toBe(encodeLogCursor(few));
    const many = new Map(Array.from({ length: 300 }, (_, i) => [`container${String(i).padStart(4, "0")}`, i === 123 ? A : B] as const));
    expect(encodeLogCursor(many).length).toBeGreaterThan(MAX_ID_CHARS);
    expect(logCursorId(many)).toBe(A);
    expect(resumeAfterFor(parseLogResume(logCursorId(many)), "container0001")).toBe(A);
  });
});
