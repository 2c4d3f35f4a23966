import "server-only";
import { z } from "zod";
import { errorMessage } from "./errors";
import { parseTrustedProxies } from "./http/trustedProxies";

const ConfigSchema = z.object({
  SWITCHYARD_DATA_DIR: z.string().min(1).default("./data"),
  SWITCHYARD_ADMIN_USER: z
    .string()
    .regex(/^[a-z0-9_.-]{2,64}$/i, "must be 2-64 letters, digits, '.', '_' or '-'")
    .optional(),
  SWITCHYARD_ADMIN_PASSWORD: z.string().min(10, "must be at least 10 characters").optional(),
  SWITCHYARD_SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SWITCHYARD_SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .positive()
    .max(24 * 30)
    .default(12),
  SWITCHYARD_HOSTS: z.string().optional(),
  SWITCHYARD_HAPROXY_SOCKET: z.string().optional(),
  /** Managed routing: the -f paths (files or directories, comma-separated) HAProxy runs with, to validate the include file against. */
  SWITCHYARD_HAPROXY_CONFIG: z.string().optional(),
  /** Managed routing: the include file Switchyard writes (HAProxy loads it with -f, or the directory it is in). */
  SWITCHYARD_HAPROXY_MANAGED_FILE: z.string().optional(),
  /** Managed routing: HAProxy's master CLI (`haproxy -W -S <path>`), where Switchyard sends `reload`. */
  SWITCHYARD_HAPROXY_MASTER_SOCKET: z.string().optional(),
  /** Managed routing: addresses besides loopback a managed frontend may bind (comma-separated IPs, e.g. 0.0.0.0). */
  SWITCHYARD_HAPROXY_BIND_ADDRESSES: z.string().default(""),
  /** The haproxy binary that validates the include file (`haproxy -c`). */
  SWITCHYARD_HAPROXY_BIN: z.string().min(1).default("haproxy"),
  SWITCHYARD_HOST_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
  SWITCHYARD_RECONCILE_INTERVAL_S: z.coerce.number().int().min(1).max(3600).default(15),
  SWITCHYARD_DRIFT_INTERVAL_S: z.coerce.number().int().min(10).max(86_400).default(300),
  SWITCHYARD_QUARANTINE_MAX_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 366)
    .default(168),
  SWITCHYARD_QUARANTINE_WARN_MINUTES: z.coerce
    .number()
    .min(0)
    .max(7 * 24 * 60)
    .default(60),
  SWITCHYARD_FORENSICS_CAP_MB: z.coerce.number().positive().max(10_240).default(64),
  DOCKER_HOST: z.string().optional(),
  /** Seconds between webhook attempts, comma-separated: one number per retry (default 5,30,120,600,1800,3600,10800: 8 attempts). */
  SWITCHYARD_WEBHOOK_BACKOFF_S: z
    .string()
    .regex(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?){0,19}\s*$/, "a comma-separated list of 1 to 20 numbers of seconds, e.g. 5,30,120")
    .optional()
    .transform((text) => (text ? text.split(",").map((s) => Number(s.trim())) : [5, 30, 120, 600, 1800, 3600, 10800])),
  SWITCHYARD_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Comma-separated CIDRs (IPv4/IPv6) of reverse proxies whose X-Forwarded-For/X-Real-IP are believed; default none. */
  SWITCHYARD_TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((text, ctx) => {
      try {
        return parseTrustedProxies(text);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: errorMessage(err) });
        return z.NEVER;
      }
    }),
});

export type Config = z.infer<typeof ConfigSchema>;

let cached: Config | undefined;

/** Reads and validates the environment once; a bad value fails with the variable's name and what is wrong. */
export function config(): Config {
  if (cached) return cached;
  const parsed = ConfigSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid Switchyard configuration:\n${z.prettifyError(parsed.error)}`);
  }
  if (parsed.data.SWITCHYARD_ADMIN_USER && !parsed.data.SWITCHYARD_ADMIN_PASSWORD) {
    throw new Error("Invalid Switchyard configuration:\n  SWITCHYARD_ADMIN_PASSWORD: required when SWITCHYARD_ADMIN_USER is set");
  }
  cached = parsed.data;
  return cached;
}
