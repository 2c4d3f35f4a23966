import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { withTimeout } from "@/server/async/withTimeout";
import { errorMessage } from "@/server/errors";
import { errorResponse } from "@/server/http/errorResponse";
import { IdParam } from "@/server/http/params";

describe("errorMessage", () => {
  it("gives an Error's message, a thrown string itself, anything else as text", () => {
    expect(errorMessage(new TypeError("bad type"))).toBe("bad type");
    expect(errorMessage("plain string")).toBe("plain string");
    expect(errorMessage(42)).toBe("42");
    expect(errorMessage(undefined)).toBe("undefined");
    expect(errorMessage({ code: "X" })).toBe("[object Object]");
  });
});

describe("withTimeout", () => {
  it("passes the answer through when it comes in time", async () => {
    await expect(withTimeout(sleep(5, "ok"), 1000, "fast thing")).resolves.toBe("ok");
  });
  it("rejects naming what did not answer", async () => {
    await expect(withTimeout(sleep(1000), 10, "slow thing")).rejects.toThrow("slow thing: no answer within 10 ms");
  });
});

describe("a zod error in the HTTP envelope", () => {
  it("has z.prettifyError's message (each issue with its path) and the structured issues", async () => {
    const parsed = IdParam.safeParse({ id: "abc" });
    const res = errorResponse(parsed.error);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; issues: unknown } };
    expect(body.error.code).toBe("VALIDATION");
    expect(body.error.message).toBe("✖ id must be a positive integer\n  → at id");
    expect(body.error.issues).toEqual([{ path: "id", message: "id must be a positive integer" }]);
  });
  it("names the body for an issue without a path", async () => {
    const body = (await errorResponse(z.object({}).strict().safeParse({ extra: 1 }).error).json()) as {
      error: { message: string; issues: unknown };
    };
    expect(body.error.message).toBe('✖ Unrecognized key: "extra"');
    expect(body.error.issues).toEqual([{ path: "(body)", message: 'Unrecognized key: "extra"' }]);
  });
});
