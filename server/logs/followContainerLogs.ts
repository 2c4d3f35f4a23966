import "server-only";
import type { Readable } from "node:stream";
import { dockerForHost, type HostRow } from "@/server/hosts/hostRegistry";
import { engineError } from "@/server/hosts/engineError";
import { LogDecoder, sinceParam, tsAfter, type LogLine } from "./logFrames";

export type LogTarget = {
  host: HostRow;
  /** ID or name, as the engine knows it. */
  container: string;
  /** Shown on merged streams. */
  label: string;
  /** The Switchyard service it belongs to (its label), if any. */
  service?: string | null;
};

export type LogOptions = {
  follow: boolean;
  /** Lines from the end to start with (ignored when resuming after `afterTs`). */
  tail: number;
  /** Engine `since` (`<seconds>.<nanoseconds>`), or null for no lower bound. */
  since: string | null;
  /** Resume: only lines stamped after this (the Last-Event-ID of a reconnecting client). */
  afterTs: string | null;
  stdout: boolean;
  stderr: boolean;
};

export type LogState = "connected" | "stopped" | "lost" | "resumed" | "ended";
export type LogEvent =
  | ({ kind: "line"; container: string; host: string } & LogLine)
  | { kind: "status"; container: string; host: string; state: LogState; message: string; at: number };

/** How often a following stream checks that its engine still answers (a silent network drop ends no socket). */
const PING_EVERY_MS = 5000;
const RETRY_MAX_MS = 5000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * One container's log as events: lines (stdout and stderr told apart), and
 * status changes. While following: a dropped engine is reported as `lost`
 * with the reason and retried with backoff; a container that stops is
 * reported `stopped` and watched until it runs again; either way the stream
 * `resumed` from the last line's timestamp (no line twice).
 */
export async function* followContainerLogs(target: LogTarget, opts: LogOptions, signal: AbortSignal): AsyncGenerator<LogEvent> {
  const who = { container: target.label, host: target.host.name };
  let said: LogState | null = null;
  /** A status, once per change of state. */
  function* status(state: LogState, message: string): Generator<LogEvent> {
    if (state === said) return;
    said = state;
    yield { kind: "status", ...who, state, message, at: Date.now() };
  }
  let lastTs = opts.afterTs;
  let backoff = 1000;
  let first = true;
  const wait = async () => {
    await sleep(backoff, signal);
    backoff = Math.min(backoff * 2, RETRY_MAX_MS);
  };
  while (!signal.aborted) {
    let stream: Readable | null = null;
    let ping: NodeJS.Timeout | null = null;
    try {
      const quick = dockerForHost(target.host);
      const container = quick.getContainer(target.container);
      const info = await container.inspect();
      if (signal.aborted) return;
      if (!first && opts.follow && !info.State?.Running) {
        yield* status(
          "stopped",
          `container ${info.State?.Status ?? "stopped"} (exit code ${info.State?.ExitCode ?? "?"}); waiting for it to run again`,
        );
        await wait();
        continue;
      }
      const interrupted = said === "lost" || said === "stopped";
      yield* status(
        interrupted ? "resumed" : "connected",
        interrupted ? `following again; lines since the interruption follow` : `following ${who.container} on ${who.host}`,
      );
      backoff = 1000;
      const since = lastTs ? sinceParam(lastTs) : opts.since;
      const query = {
        stdout: opts.stdout,
        stderr: opts.stderr,
        timestamps: true,
        ...(since ? { since } : {}),
        ...(!lastTs && first ? { tail: opts.tail } : {}),
      };
      first = false;
      const decoder = new LogDecoder(Boolean(info.Config?.Tty));
      const keep = (l: LogLine) => {
        if (lastTs && l.ts && !tsAfter(l.ts, lastTs)) return false;
        if (l.ts) lastTs = l.ts;
        return true;
      };
      // No request timeout on a following stream (it may be quiet for hours): the pings below notice a dead engine.
      const streaming = dockerForHost(target.host, 0).getContainer(target.container);
      if (!opts.follow) {
        const body = (await streaming.logs({ ...query, follow: false })) as unknown as Buffer;
        for (const l of [...decoder.push(Buffer.from(body)), ...decoder.flush()]) if (keep(l)) yield { kind: "line", ...who, ...l };
        yield* status("ended", "end of the log");
        return;
      }
      stream = (await streaming.logs({ ...query, follow: true })) as unknown as Readable;
      // The reader may have gone while the engine answered: the finally below closes the stream.
      if (signal.aborted) return;
      const s = stream;
      const onAbort = () => s.destroy();
      signal.addEventListener("abort", onAbort, { once: true });
      ping = setInterval(() => {
        quick.ping().catch((err: unknown) => s.destroy(new Error(engineError(err))));
      }, PING_EVERY_MS);
      try {
        for await (const chunk of s) {
          for (const l of decoder.push(chunk as Buffer)) if (keep(l)) yield { kind: "line", ...who, ...l };
        }
        for (const l of decoder.flush()) if (keep(l)) yield { kind: "line", ...who, ...l };
      } finally {
        signal.removeEventListener("abort", onAbort);
      }
      // The stream ended on its own: the container stopped (the next turn says so), or the engine went away (it throws).
    } catch (err) {
      if (signal.aborted) return;
      const code = (err as { statusCode?: number }).statusCode;
      if (code === 404) {
        yield* status("ended", `no container ${target.container} on ${target.host.name} (removed)`);
        return;
      }
      if (!opts.follow) throw err;
      yield* status("lost", `${target.host.name} unreachable: ${engineError(err)}; retrying`);
      await wait();
    } finally {
      if (ping) clearInterval(ping);
      stream?.destroy();
    }
  }
}
