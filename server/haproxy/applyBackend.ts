import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { HaproxyCommandError } from "./errors";
import { DEFAULT_CHECKS, planBackend, type CheckSettings, type DesiredServer, type OwnsServer, type PlanStep } from "./planBackend";
import { haproxyCommand } from "./runtimeApi";
import { backendServers } from "./serverState";
import { waitForServersUp } from "./waitForServersUp";

export { waitForServersUp } from "./waitForServersUp";
export { type CheckSettings, type DesiredServer, type OwnsServer } from "./planBackend";

export type ApplyOptions = {
  /** How long servers about to get traffic may take to pass a check (default 10 s). */
  upTimeoutMs?: number;
  /** How long `del server` is retried while the server still has connections (default 5 s). */
  deleteRetryMs?: number;
  /** The servers not in `desired` that may be removed (default: those named like Switchyard's own); others stay as they are. */
  owns?: OwnsServer;
};

// Replies of the state-changing commands when they worked; anything else is an error.
const OK_REPLIES = new Set(["", "New server registered.", "Server deleted."]);
const STILL_BUSY = /^Server still has connections/;

async function change(socket: string, command: string): Promise<void> {
  const reply = await haproxyCommand(socket, command);
  if (!OK_REPLIES.has(reply)) throw new HaproxyCommandError(command, reply);
}

async function deleteServer(socket: string, command: string, retryMs: number): Promise<void> {
  const deadline = Date.now() + retryMs;
  for (;;) {
    try {
      return await change(socket, command);
    } catch (err) {
      if (!(err instanceof HaproxyCommandError && STILL_BUSY.test(err.reply)) || Date.now() >= deadline) throw err;
      await sleep(100);
    }
  }
}

// One apply at a time per backend in this process: plans are made from a read of the state.
const inFlight = new Map<string, Promise<unknown>>();
function oneAtATime<T>(key: string, run: () => Promise<T>): Promise<T> {
  const previous = inFlight.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(run);
  inFlight.set(key, next);
  void next.finally(() => inFlight.get(key) === next && inFlight.delete(key)).catch(() => undefined);
  return next;
}

/**
 * Makes HAProxy's `backend` hold `desired`, removing only servers `owns`
 * claims (see planBackend for the order that keeps the switch zero-downtime). Returns the state-changing
 * commands it ran, [] when the backend already matched.
 */
export function applyBackend(
  socket: string,
  backend: string,
  desired: DesiredServer[],
  checks: Partial<CheckSettings> = {},
  options: ApplyOptions = {},
): Promise<string[]> {
  const { upTimeoutMs = 10_000, deleteRetryMs = 5_000, owns } = options;
  return oneAtATime(`${socket}\0${backend}`, async () => {
    const actual = await backendServers(socket, backend);
    const steps: PlanStep[] = planBackend(backend, actual, desired, { ...DEFAULT_CHECKS, ...checks }, owns);
    const ran: string[] = [];
    for (const step of steps) {
      if (step.kind === "waitUp") {
        await waitForServersUp(socket, backend, step.servers, upTimeoutMs);
        continue;
      }
      if (step.kind === "delete") await deleteServer(socket, step.command, deleteRetryMs);
      else await change(socket, step.command);
      ran.push(step.command);
    }
    return ran;
  });
}
