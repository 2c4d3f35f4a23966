import "server-only";
import type Docker from "dockerode";
import { setTimeout as sleep } from "node:timers/promises";

/** The variable every console command runs with, so its processes (and their children) can be found again. */
export const CONSOLE_ENTRY_VARIABLE = "SWITCHYARD_CONSOLE_ENTRY";

// Docker's API cannot kill an exec'd process. A second exec can: every process whose
// environment carries the entry's marker (the command and whatever it started) gets SIGKILL,
// in passes until none is left (a child forked during a pass is caught by the next one).
const KILL_MARKED = [
  'm="$1"',
  "for pass in 1 2 3 4 5; do",
  "  n=0",
  '  for d in /proc/[0-9]*; do tr "\\0" "\\n" < "$d/environ" 2>/dev/null | grep -qxF "$m" && kill -9 "${d#/proc/}" 2>/dev/null && n=$((n+1)); done',
  '  [ "$n" = 0 ] && break',
  "  sleep 0.1",
  "done",
].join("\n");

const GONE_WITHIN_MS = 3000;

/**
 * Stops a console command cut off at its time limit. Returns its exit code
 * once the engine says the exec ended (137 after SIGKILL), or null when it
 * could not be stopped (no `sh`, `tr` or `grep` in the image, the engine
 * did not answer): then it may still run, and the transcript says so. A
 * process that dropped the marker (`env -i`) or switched to a user whose
 * /proc entries the container's user cannot read is not found.
 */
export async function stopTimedOutCommand(container: Docker.Container, exec: Docker.Exec, entryId: number): Promise<number | null> {
  try {
    const killer = await container.exec({
      Cmd: ["sh", "-c", KILL_MARKED, "sh", `${CONSOLE_ENTRY_VARIABLE}=${entryId}`],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await killer.start({ Detach: false });
    await new Promise<void>((resolve) => {
      stream.on("end", resolve);
      stream.on("close", resolve);
      stream.on("error", () => resolve());
      stream.resume();
    });
    for (const deadline = Date.now() + GONE_WITHIN_MS; Date.now() < deadline; await sleep(100)) {
      const state = await exec.inspect();
      if (!state.Running) return state.ExitCode ?? null;
    }
    return null;
  } catch {
    return null;
  }
}
