import "server-only";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type Docker from "dockerode";
import { errorMessage } from "@/server/errors";
import type { HealthCheck } from "@/server/services/serviceSpecInput";

/** One check of one container: null when it passed, else why it did not. */
export type Probe = () => Promise<string | null>;

export type GateTarget = {
  label: string;
  /** What the check does, for the failure message: "GET /health → 200", "TCP connect 127.0.0.1:18123", "exec pg_isready". */
  what: string;
  probe: Probe;
  isRunning: () => Promise<{ running: boolean; why?: string }>;
};

/** Where a new container answers: its host's address and port. */
export type ProbeAddress = { address: string; port: number };

/** Output of a failed exec check kept for the message. */
export const EXEC_OUTPUT_LIMIT = 1024;

export function httpProbe(url: string, timeoutMs: number, expect: number): Probe {
  return async () => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual", cache: "no-store" });
      await res.arrayBuffer().catch(() => undefined);
      return res.status === expect ? null : `answered ${res.status} (expected ${expect})`;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      if (e.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
      return e.cause?.code === "ECONNREFUSED" ? "connection refused" : (e.cause?.code ?? e.message);
    }
  };
}

/** Healthy when a TCP connection opens within timeoutMs; the connection is closed at once. */
export function tcpProbe(address: string, port: number, timeoutMs: number): Probe {
  return () =>
    new Promise((resolve) => {
      const socket = connect({ host: address, port });
      const done = (reason: string | null) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(reason);
      };
      const timer = setTimeout(() => done(`no connection within ${timeoutMs} ms`), timeoutMs);
      socket.once("connect", () => done(null));
      socket.once("error", (err: NodeJS.ErrnoException) =>
        done(err.code === "ECONNREFUSED" ? "connection refused" : (err.code ?? err.message)),
      );
    });
}

/** Pure: the failure text of an exec check from its exit code and (trimmed, bounded) output. */
export function execFailure(exitCode: number | null, output: string): string | null {
  if (exitCode === 0) return null;
  const text = output.replace(/\s+$/, "");
  const shown = text.length > EXEC_OUTPUT_LIMIT ? `${text.slice(0, EXEC_OUTPUT_LIMIT)}…` : text;
  const code = exitCode === null ? "did not report an exit code" : `exited ${exitCode}`;
  return shown ? `${code}: ${shown}` : `${code} (no output)`;
}

/**
 * Runs `command` in the container (Docker exec, no shell: the list is argv)
 * and waits for it to exit, up to timeoutMs. stdout and stderr are kept up
 * to EXEC_OUTPUT_LIMIT bytes for the failure message.
 */
export function execProbe(container: Docker.Container, command: string[], timeoutMs: number): Probe {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`still running after ${timeoutMs} ms`), timeoutMs);
    });
    const run = async (): Promise<string | null> => {
      const exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({ hijack: true, stdin: false });
      const chunks: Buffer[] = [];
      let kept = 0;
      // Without a TTY the stream is multiplexed (8-byte frame headers); demux both outputs into one buffer.
      const sink = {
        write(chunk: Buffer) {
          if (kept < EXEC_OUTPUT_LIMIT + 1) {
            chunks.push(chunk);
            kept += chunk.length;
          }
          return true;
        },
      };
      container.modem.demuxStream(stream, sink, sink);
      await new Promise<void>((resolve, reject) => {
        stream.once("end", resolve);
        stream.once("close", resolve);
        stream.once("error", reject);
      });
      const info = await exec.inspect();
      return execFailure(info.ExitCode, Buffer.concat(chunks).toString("utf8"));
    };
    try {
      return await Promise.race([run(), timeout]);
    } catch (err) {
      return `could not run: ${errorMessage(err)}`;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Pure: what a check of this kind does at this address, for step names and failure messages. */
export function describeCheck(check: HealthCheck, at?: ProbeAddress): string {
  if (check.kind === "tcp") return at ? `TCP connect ${at.address}:${at.port}` : "TCP connect";
  if (check.kind === "exec") return `exec ${check.command.join(" ")}`;
  return `GET ${check.path} → ${check.expectStatus}`;
}

/** The probe of a new container for its spec's check kind. */
export function probeFor(check: HealthCheck, at: ProbeAddress, container: () => Docker.Container): Probe {
  if (check.kind === "tcp") return tcpProbe(at.address, at.port, check.timeoutMs);
  if (check.kind === "exec") return execProbe(container(), check.command, check.timeoutMs);
  const host = at.address.includes(":") ? `[${at.address}]` : at.address;
  return httpProbe(`http://${host}:${at.port}${check.path}`, check.timeoutMs, check.expectStatus);
}

type GateTiming = Pick<HealthCheck, "intervalMs" | "healthyAfter" | "gateTimeoutS">;

/** Waits until one target passes `healthyAfter` checks in a row; throws the last reason when the gate times out. */
async function gateOne(t: GateTarget, check: GateTiming, deadline: number): Promise<void> {
  let streak = 0;
  let lastReason = "not checked yet";
  for (;;) {
    const failure = await t.probe();
    if (failure === null) {
      if (++streak >= check.healthyAfter) return;
    } else {
      streak = 0;
      lastReason = failure;
      const state = await t.isRunning();
      if (!state.running) throw new Error(`${t.label}: container stopped (${state.why ?? "exited"})`);
    }
    if (Date.now() + check.intervalMs > deadline) {
      throw new Error(`${t.label}: unhealthy after ${check.gateTimeoutS} s — ${t.what}: ${lastReason}`);
    }
    await sleep(check.intervalMs);
  }
}

/** Health-gates every new container in parallel; all must pass. */
export async function healthGate(targets: GateTarget[], check: GateTiming): Promise<void> {
  const deadline = Date.now() + check.gateTimeoutS * 1000;
  const results = await Promise.allSettled(targets.map((t) => gateOne(t, check, deadline)));
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => errorMessage(r.reason));
  if (failures.length) throw new Error(failures.join("; "));
}
