import "server-only";
import { AppError } from "@/server/errors";
import { HaproxyServersDown } from "@/server/haproxy/errors";
import type { HealthCheck } from "@/server/services/serviceSpecInput";

/**
 * HAProxy's own checks of a service's servers. Which kind of check HAProxy
 * runs is a property of the backend in haproxy.cfg, not of a server: with
 * `option httpchk` every server, including runtime-added ones, gets the HTTP
 * check; without it `check` is a plain TCP connect (HAProxy 2.6
 * configuration.txt, "check"). There is no per-server override, so
 * Switchyard sets only the timing per server; a tcp or exec service needs
 * its backend without `option httpchk` (exec cannot run in HAProxy at all:
 * a TCP connect is the closest it gets).
 */
export function haproxyCheckTiming(check: HealthCheck): { inter: number } {
  return { inter: Math.max(100, Math.min(check.intervalMs, 2000)) };
}

/** Pure: the check HAProxy should run for a service whose health check is of this kind. */
export function haproxyCheckKind(check: HealthCheck): "http" | "tcp" {
  return check.kind === "http" ? "http" : "tcp";
}

// Layer-7 check statuses (show stat): HAProxy ran an HTTP check on the server.
const HTTP_CHECK_STATUS = /\bL7[A-Z]+\b/;

/**
 * When servers of a tcp or exec service never came up because the backend
 * runs HTTP checks on them, say so and what to change, instead of only
 * "not up after N ms". Any other error is returned as it is.
 */
export function explainCheckMismatch(err: unknown, check: HealthCheck, backend: string): unknown {
  if (!(err instanceof HaproxyServersDown) || haproxyCheckKind(check) !== "tcp") return err;
  if (!err.down.some((d) => HTTP_CHECK_STATUS.test(d.why))) return err;
  return new AppError(
    "UNAVAILABLE",
    `${err.message}. Backend ${backend} checks its servers by HTTP (option httpchk in haproxy.cfg), but this service's health check is ${check.kind}: ` +
      `HAProxy can only check it by TCP connect. Remove "option httpchk" and "http-check" from backend ${backend} in haproxy.cfg.`,
  );
}
