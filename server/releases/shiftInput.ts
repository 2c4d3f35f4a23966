/** Body of POST /api/services/{name}/shift: the candidate's share of the traffic. zod only. */
import { z } from "zod";

export const ShiftInput = z
  .object({
    weight: z
      .number({ error: "weight: the candidate's share in percent, a whole number 0..100" })
      .int("weight: a whole percent (0..100)")
      .min(0, "weight: at least 0 (0 takes the candidate back to preview only)")
      .max(100, "weight: at most 100 (the candidate takes all traffic; Switch makes it live)"),
  })
  .strict();
export type ShiftInput = z.infer<typeof ShiftInput>;
