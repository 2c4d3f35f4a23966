/** zod inputs of the quarantine API; shared by the route handlers, the forms and OpenAPI. zod only. */
import { z } from "zod";
import { CONSOLE_MAX_TIMEOUT_S, REASON_MAX } from "./constants";

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
    /** Cut a bridge-mode container off from its networks once it is out of traffic (reconnected if self-destruct is cancelled). */
    isolateNetwork: z.boolean({ error: "isolateNetwork: true or false" }).optional(),
  })
  .strict();
export type QuarantineInput = z.infer<typeof QuarantineInput>;

export const ExtendInput = z.object({ addS: Seconds("addS") }).strict();
export type ExtendInput = z.infer<typeof ExtendInput>;

export const CancelSelfDestructInput = z.object({ reason: Reason("reason") }).strict();
export type CancelSelfDestructInput = z.infer<typeof CancelSelfDestructInput>;

const NoNul = (what: string) => z.string().refine((s) => !s.includes("\0"), `${what}: may not contain a NUL character`);

/**
 * One debug-console command: `argv` (run as given, no shell) or `shell` (one
 * line, run as `sh -c <line>`; the image needs a sh). stdin is closed; no TTY.
 */
export const ConsoleInput = z
  .object({
    argv: z
      .array(NoNul("argv").max(4096, "argv: each argument at most 4096 characters"), { error: "argv: a list of strings" })
      .min(1, "argv: at least the program to run")
      .max(64, "argv: at most 64 arguments")
      .refine((a) => (a[0] ?? "-").trim() !== "", "argv: the program (argv[0]) may not be empty")
      .optional(),
    shell: NoNul("shell").trim().min(1, "shell: the line to run").max(4096, "shell: at most 4096 characters").optional(),
    timeoutS: z
      .number({ error: "timeoutS: a number of seconds" })
      .int("timeoutS: whole seconds")
      .positive("timeoutS: more than 0 seconds")
      .max(CONSOLE_MAX_TIMEOUT_S, `timeoutS: at most ${CONSOLE_MAX_TIMEOUT_S} seconds`)
      .optional(),
  })
  .strict()
  .refine(
    (c) => (c.argv === undefined) !== (c.shell === undefined),
    "Give either argv (a list) or shell (one line run with sh -c), not both.",
  );
export type ConsoleInput = z.infer<typeof ConsoleInput>;
