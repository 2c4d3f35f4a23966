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
/** /api/hosts/{id}/containers/{container}: the host by id, the container by ID or name as its engine knows it. */
export const HostContainerParams = z.object({
  id: IdParam.shape.id,
  container: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, "container: an ID or a name (letters, digits, '_', '.', '-')"),
});
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
