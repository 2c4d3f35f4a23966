import { z } from "zod";
import { ServiceName } from "@/server/services/serviceSpecInput";

export const ServiceParam = z.object({ name: ServiceName });
export const WaitQuery = z.object({ wait: z.enum(["true", "false", "1", "0"]).optional().transform((v) => v === "true" || v === "1") }).strict();
