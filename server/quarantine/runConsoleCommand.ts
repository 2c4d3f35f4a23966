import "server-only";
import type Docker from "dockerode";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { withTimeout } from "@/server/async/withTimeout";
import { config } from "@/server/config";
import { AppError, conflict } from "@/server/errors";
import { engineError } from "@/server/hosts/engineError";
import { dockerForHost, hostRow } from "@/server/hosts/hostRegistry";
import { CONSOLE_DEFAULT_TIMEOUT_S, CONSOLE_OUTPUT_CAP_BYTES } from "./constants";
import { FrameSplitter, OutputRecorder, type OutputPiece } from "./consoleOutput";
import { operationStatuses } from "@/server/operations/operationLog";
import { serverNameOfContainer } from "@/server/releases/releaseRows";
import { assertQuarantineSettled } from "./destroyNow";
import { backendStillRouting } from "./stillInTraffic";
import { isBeingDestroyed } from "./destroyQuarantined";
import { redactValues } from "./forensicsFormat";
import { ConsoleInput } from "./quarantineInput";
import { logQuarantine, quarantineById, type QuarantineRow } from "./quarantineRows";
import { secretsOfRelease } from "./releaseSecrets";
import { CONSOLE_ENTRY_VARIABLE, stopTimedOutCommand } from "./stopTimedOutCommand";
import { entryCommand, entryOutcome, type TranscriptEntry } from "./transcriptFormat";
import { finishTranscriptEntry, insertTranscriptEntry } from "./transcriptRows";

/** What the console streams: the command as recorded, its output as it comes, and the finished transcript entry. */
export type ConsoleEvent =
  | { type: "start"; entryId: number; command: string; timeoutS: number; capBytes: number }
  | ({ type: "output" } & OutputPiece)
  | { type: "end"; entry: TranscriptEntry; outcome: string };

export type ConsoleRun = (emit: (e: ConsoleEvent) => void) => Promise<TranscriptEntry>;

/**
 * The debug console's rule, checked before anything runs: only the container
 * of an active quarantine whose own operation has ended (so it is out of
 * traffic), that is not being destroyed, and that runs. Returns the command
 * to start; every refusal is a 409 that says why.
 */
export async function prepareConsoleCommand(actor: Actor, quarantineId: number, raw: ConsoleInput): Promise<ConsoleRun> {
  const input = ConsoleInput.parse(raw);
  const q = quarantineById(quarantineId);
  const what = `${q.quarantinedName} on ${q.hostName}`;
  if (q.status !== "active")
    throw conflict(
      `Quarantine #${q.id} (${what}) is ${q.status}: the debug console runs only in a container that is still quarantined; its transcript is in the forensic bundle.`,
    );
  if (isBeingDestroyed(q.id)) throw conflict(`${what} is being destroyed right now; the debug console is closed.`);
  assertQuarantineSettled(q.operationId, `The debug console of ${what}`);
  // Its quarantine failed to drain it: never run commands in a container that may still serve requests.
  if (q.operationId && operationStatuses([q.operationId])[0]?.status === "failed") {
    const serverName = serverNameOfContainer(q.releaseContainerId);
    const backend = serverName ? backendStillRouting(serverName) : null;
    if (backend)
      throw conflict(
        `${what} still takes traffic in HAProxy backend ${backend} (its quarantine, operation #${q.operationId}, failed to drain it); the debug console opens once it is out of traffic.`,
      );
  }
  const timeoutS = input.timeoutS ?? CONSOLE_DEFAULT_TIMEOUT_S;
  const host = hostRow(q.hostId);
  const docker = dockerForHost(host, (timeoutS + 15) * 1000);
  const container = docker.getContainer(q.dockerId);
  let info: Docker.ContainerInspectInfo;
  try {
    info = await withTimeout(container.inspect(), config().SWITCHYARD_HOST_TIMEOUT_MS, `engine ${host.name}`);
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) throw conflict(`${what} is gone from its host (removed outside Switchyard?).`);
    throw new AppError("UNAVAILABLE", `Host ${host.name} does not answer (${engineError(err)}); try again when it does.`);
  }
  if (!info.State.Running) throw conflict(`${what} is not running (${info.State.Status}); docker exec needs a running container.`);
  const argv = input.argv ?? ["sh", "-c", input.shell!];
  const secrets = secretsOfRelease(q.serviceName, q.releaseNumber, info.Config.Env ?? []).values;
  return (emit) => runCommand(actor, q, container, { argv, shellLine: input.shell ?? null, timeoutS, secrets }, emit);
}

async function runCommand(
  actor: Actor,
  q: QuarantineRow,
  container: Docker.Container,
  c: { argv: string[]; shellLine: string | null; timeoutS: number; secrets: string[] },
  emit: (e: ConsoleEvent) => void,
): Promise<TranscriptEntry> {
  const mask = (s: string) => redactValues(s, c.secrets);
  const recorded = { argv: c.argv.map(mask), shellLine: c.shellLine === null ? null : mask(c.shellLine) };
  const startedAt = new Date();
  const entryId = insertTranscriptEntry(db(), { quarantineId: q.id, by: actor.username, startedAt, ...recorded });
  emit({ type: "start", entryId, command: entryCommand(recorded), timeoutS: c.timeoutS, capBytes: CONSOLE_OUTPUT_CAP_BYTES });
  const out = new OutputRecorder(CONSOLE_OUTPUT_CAP_BYTES, c.secrets);
  const send = (pieces: OutputPiece[]) => pieces.forEach((p) => emit({ type: "output", ...p }));
  let exitCode: number | null = null;
  let timedOut = false;
  let error: string | null = null;
  try {
    // No TTY and no stdin: stdout and stderr stay apart (demultiplexed), and nothing waits for input.
    const exec = await container.exec({
      Cmd: c.argv,
      Env: [`${CONSOLE_ENTRY_VARIABLE}=${entryId}`],
      AttachStdout: true,
      AttachStderr: true,
      AttachStdin: false,
      Tty: false,
    });
    const stream = (await exec.start({ Detach: false, Tty: false })) as NodeJS.ReadableStream & { destroy: () => void };
    const frames = new FrameSplitter();
    stream.on("data", (chunk: Buffer) => frames.push(chunk).forEach((f) => send(out.write(f.stream, f.data))));
    timedOut = await new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => {
        stream.destroy();
        resolve(true);
      }, c.timeoutS * 1000);
      const done = () => {
        clearTimeout(timer);
        resolve(false);
      };
      stream.on("end", done);
      stream.on("close", done);
      stream.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    exitCode = timedOut ? await stopTimedOutCommand(container, exec, entryId) : ((await exec.inspect()).ExitCode ?? null);
  } catch (err) {
    error = engineError(err);
  }
  send(out.end());
  const durationMs = Date.now() - startedAt.getTime();
  const result = { exitCode, durationMs, output: out.output, outputBytes: out.totalBytes, truncated: out.truncated, timedOut, error };
  finishTranscriptEntry(db(), entryId, result);
  const entry: TranscriptEntry = { id: entryId, by: actor.username, startedAt: startedAt.getTime(), ...recorded, ...result };
  logQuarantine(
    actor,
    q,
    "console",
    error || timedOut ? "failed" : exitCode === 0 ? "ok" : "info",
    `debug console in ${q.quarantinedName}: ${entryCommand(recorded)} — ${entryOutcome(entry)}`,
    {
      transcriptEntry: entryId,
      argv: recorded.argv,
      exitCode,
      durationMs,
      outputBytes: out.totalBytes,
      truncated: out.truncated,
      timedOut,
    },
  );
  emit({ type: "end", entry, outcome: entryOutcome(entry) });
  return entry;
}
