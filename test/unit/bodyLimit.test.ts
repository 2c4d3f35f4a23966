/**
 * Request bodies are read from the stream with a running count: a declared
 * Content-Length over the limit is refused before reading, and a chunked body
 * is refused once it passes the limit, without reading (or holding) the rest.
 */
import { afterAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, readBodyText } from "@/server/http/route";
import { ORIGIN, startApi } from "./support/apiHarness";

const api = await startApi("body-limit", { haproxy: false });
afterAll(() => api.close());

const CHUNK = 64 * 1024;

/** A chunked body of `total` bytes made on demand; `pulled` counts what the reader took. */
function lazyBody(total: number) {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.pulled >= total) return controller.close();
        counter.pulled += CHUNK;
        controller.enqueue(new Uint8Array(CHUNK).fill(0x20));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

describe("request body limit", () => {
  it("refuses a 20 MB chunked body: keeps at most 1 MiB, drops the rest as it comes, answers 413", async () => {
    const { stream, counter } = lazyBody(20 * 1024 * 1024);
    const held = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers - held)), 1);
    const req = new Request("http://x/api/auth/login", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    await expect(readBodyText(req)).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    clearInterval(timer);
    expect(MAX_BODY_BYTES).toBe(1024 * 1024);
    expect(counter.pulled).toBeGreaterThanOrEqual(20 * 1024 * 1024); // drained, so the socket closes cleanly after the answer
    expect(peak, "bytes held while reading").toBeLessThan(8 * 1024 * 1024);
  });

  it("drops the connection instead of reading an endless body", async () => {
    const { stream, counter } = lazyBody(Number.MAX_SAFE_INTEGER);
    const req = new Request("http://x/", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    await expect(readBodyText(req)).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(counter.pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + 64 * 1024 * 1024 + 2 * CHUNK);
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const { stream, counter } = lazyBody(20 * 1024 * 1024);
    const req = new Request("http://x/", {
      method: "POST",
      body: stream,
      duplex: "half",
      headers: { "content-length": String(20 * 1024 * 1024) },
    } as RequestInit);
    await expect(readBodyText(req)).rejects.toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(counter.pulled).toBe(0);
  });

  it("reads bodies up to the limit, multi-byte text intact", async () => {
    const text = JSON.stringify({ name: "ä".repeat(1000) });
    expect(await readBodyText(new Request("http://x/", { method: "POST", body: text }))).toBe(text);
    const atLimit = "x".repeat(MAX_BODY_BYTES);
    expect((await readBodyText(new Request("http://x/", { method: "POST", body: atLimit }))).length).toBe(MAX_BODY_BYTES);
  });

  it("the login route answers 413 with the JSON envelope", async () => {
    const res = await api.call("POST", "/api/auth/login", {
      rawBody: `{"username":"${"a".repeat(MAX_BODY_BYTES)}"}`,
      headers: { origin: ORIGIN, "content-type": "application/json" },
    });
    expect(res.status).toBe(413);
    expect(res.json.error).toEqual({ code: "PAYLOAD_TOO_LARGE", message: `Request body is larger than ${MAX_BODY_BYTES} bytes.` });
  });
});
