/** What a client sends to create an API token. Shared by the API, the token form and OpenAPI: zod only. */
import { z } from "zod";
import { ServiceName } from "@/server/services/serviceSpecInput";
import { ROLES } from "./roles";

export const ApiTokenInput = z
  .object({
    name: z.string().trim().min(1, "name is required").max(64, "name: at most 64 characters"),
    role: z.enum(ROLES),
    /** Limit the token to these services: it may change only them (and read everything its role allows). Omitted: every service. */
    services: z
      .array(ServiceName)
      .min(1, "services: pick at least one service, or leave the token unscoped")
      .max(100, "services: at most 100")
      .refine((list) => new Set(list).size === list.length, "services: each service once")
      .optional(),
  })
  .strict();
export type ApiTokenInput = z.infer<typeof ApiTokenInput>;
