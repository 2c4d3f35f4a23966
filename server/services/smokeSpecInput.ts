/** The spec's `smoke`: HTTP checks run against the candidate before a Switch or a traffic shift. zod only. */
import { z } from "zod";

export const SmokeCheck = z
  .object({
    path: z
      .string()
      .regex(/^\/[\x21-\x7e]*$/, "smoke check path must start with '/' and have no spaces")
      .max(2048),
    expectStatus: z.number().int().min(100).max(599).default(200),
    /** The answer's body must contain this text (looked for in its first 64 KiB). */
    bodyContains: z.string().min(1).max(1024).optional(),
    timeoutMs: z.number().int().min(100).max(30_000).default(2000),
  })
  .strict();
export type SmokeCheck = z.infer<typeof SmokeCheck>;

export const SmokeChecks = z.array(SmokeCheck).max(20, "at most 20 smoke checks").default([]);
