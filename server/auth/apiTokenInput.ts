/** What a client sends to create an API token. Shared by the API, the token form and OpenAPI: zod only. */
import { z } from "zod";
import { ROLES } from "./roles";

export const ApiTokenInput = z
  .object({
    name: z.string().trim().min(1, "name is required").max(64, "name: at most 64 characters"),
    role: z.enum(ROLES),
  })
  .strict();
export type ApiTokenInput = z.infer<typeof ApiTokenInput>;
