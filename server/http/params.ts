import { z } from "zod";
import { ServiceName } from "@/server/services/serviceSpecInput";

/** Route params are strings; ids are positive integers. */
export const IdParam = z.object({
  id: z
    .string()
    .regex(/^\d{1,12}$/, "id must be a positive integer")
    .transform(Number),
});
export const ServiceParam = z.object({ name: ServiceName });
export const WaitQuery = z
  .object({
    wait: z
      .enum(["true", "false", "1", "0"])
      .optional()
      .transform((v) => v === "true" || v === "1"),
  })
  .strict();
/** Actions that take no input still parse the body, so a stray field is an error rather than ignored. */
export const EmptyBody = z.object({}).strict();
export const ExportQuery = z.object({ format: z.enum(["yaml", "json"]).default("yaml") }).strict();
