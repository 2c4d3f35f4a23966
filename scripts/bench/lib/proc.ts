/** Child processes for the benchmark: run-to-completion helpers and a dashboard server stopped by its own pid. */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { sleep } from "./clock";

/** Runs a command with inherited output; rejects on a non-zero exit. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; quiet?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c;
      if (!opts.quiet) process.stdout.write(c);
    });
    child.stderr.on("data", (c: Buffer) => {
      err += c;
      if (!opts.quiet) process.stderr.write(c);
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}: ${(err || out).trim().split("\n").slice(-5).join(" | ")}`)),
    );
  });
}

export type Server = { pid: number; child: ChildProcess; stop(): Promise<void>; exited: () => boolean };

/**
 * Starts `npx next start` in its own process group (npx → npm → sh → next-server),
 * so that stopping it ends exactly the processes this benchmark started.
 */
export function startServer(args: string[], env: NodeJS.ProcessEnv, logFile: string): Server {
  const log = fs.openSync(logFile, "a");
  const child = spawn("npx", args, { env, detached: true, stdio: ["ignore", log, log] });
  fs.closeSync(log);
  let exited = false;
  const exit = new Promise<void>((r) => child.once("exit", () => ((exited = true), r())));
  const pid = child.pid!;
  return {
    pid,
    child,
    exited: () => exited,
    async stop() {
      if (exited) return;
      const signal = (s: NodeJS.Signals) => {
        try {
          process.kill(-pid, s); // the group led by our child (detached: true)
        } catch {
          /* already gone */
        }
      };
      signal("SIGTERM");
      await Promise.race([exit, sleep(10_000)]);
      if (!exited) {
        signal("SIGKILL");
        await Promise.race([exit, sleep(5_000)]);
      }
      // next-server may outlive npx by a moment: wait until the group is empty
      for (let i = 0; i < 50; i++) {
        try {
          process.kill(-pid, 0);
        } catch {
          return;
        }
        await sleep(100);
      }
      signal("SIGKILL");
    },
  };
}

export const alive = (pid: number | undefined): boolean => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
