import "server-only";
import { AppError } from "@/server/errors";

/** The admin socket could not be reached (missing, refused, no answer): nothing was applied. */
export class HaproxyUnavailable extends AppError {
  constructor(
    readonly socket: string,
    readonly reason: string,
  ) {
    super("UNAVAILABLE", `HAProxy admin socket ${socket}: ${reason}`);
    this.name = "HaproxyUnavailable";
  }
}

/** HAProxy answered a command with an error; `reply` is its text, verbatim. */
export class HaproxyCommandError extends AppError {
  constructor(
    readonly command: string,
    readonly reply: string,
  ) {
    super("UNPROCESSABLE", `HAProxy refused "${command}": ${reply}`);
    this.name = "HaproxyCommandError";
  }
}

/** Servers that did not pass their health check in time (name → why). */
export class HaproxyServersDown extends AppError {
  constructor(
    readonly backend: string,
    readonly down: { name: string; why: string }[],
    timeoutMs: number,
  ) {
    super("UNAVAILABLE", `HAProxy backend ${backend}: not up after ${timeoutMs} ms: ${down.map((d) => `${d.name} (${d.why})`).join(", ")}`);
    this.name = "HaproxyServersDown";
  }
}
