/** zod inputs of the quarantine API; shared by the route handlers, the forms and OpenAPI. zod only. */
import { z } from "zod";
import { REASON_MAX } from "./constants";

const Reason = (what: string) =>
  z
    .string({ error: `${what}: required` })
    .trim()
    .min(1, `${what}: required — say why, for the people who read the log later`)
    .max(REASON_MAX, `${what}: at most ${REASON_MAX} characters`);

const Seconds = (what: string) =>
  z
    .number({ error: `${what}: a number of seconds` })
    .int(`${what}: whole seconds`)
    .positive(`${what}: must be more than 0 seconds`);

export const QuarantineInput = z
  .object({
    hostId: z.number({ error: "hostId: the id of the host the container runs on" }).int().positive(),
    /** The container's Docker id (full or at least 12 hex digits) or its name. */
    container: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/, "container: a Docker id or container name (letters, digits, '_', '.', '-')"),
    reason: Reason("reason"),
    /** Seconds until self-destruct; 24 h when omitted, at most SWITCHYARD_QUARANTINE_MAX_HOURS. */
    lifetimeS: Seconds("lifetimeS").optional(),
  })
  .strict();
export type QuarantineInput = z.infer<typeof QuarantineInput>;

export const ExtendInput = z.object({ addS: Seconds("addS") }).strict();
export type ExtendInput = z.infer<typeof ExtendInput>;

export const CancelSelfDestructInput = z.object({ reason: Reason("reason") }).strict();
export type CancelSelfDestructInput = z.infer<typeof CancelSelfDestructInput>;
