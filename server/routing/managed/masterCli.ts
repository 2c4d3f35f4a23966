import "server-only";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { AppError } from "@/server/errors";
import { haproxyCommand } from "@/server/haproxy/runtimeApi";

/**
 * HAProxy's master CLI (`haproxy -W -S <socket>`). It may keep the
 * connection open after answering, so a reply ends when HAProxy closes the
 * connection or stays quiet for `idleMs` after its last bytes. While the
 * master re-executes itself for a reload the socket refuses connections:
 * callers retry.
 */
function masterCommand(socket: string, command: string, timeoutMs = 3000, idleMs = 150): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let idle: NodeJS.Timeout | undefined;
    const conn = net.createConnection({ path: socket });
    const finish = (err: Error | null) => {
      clearTimeout(timer);
      clearTimeout(idle);
      conn.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const timer = setTimeout(() => finish(chunks.length ? null : new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    conn.on("connect", () => conn.write(`${command}\n`));
    conn.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      clearTimeout(idle);
      idle = setTimeout(() => finish(null), idleMs);
    });
    conn.on("close", () => finish(null));
    conn.on("error", (err) => finish(err));
  });
}

export type MasterProcs = { reloads: number; failed: number; workers: { pid: number; reloads: number }[] };

/** Pure: `show proc` of the master CLI (HAProxy 2.6): the master's reload counters and the workers, newest first. */
export function parseShowProc(text: string): MasterProcs {
  const master = /^\d+\s+master\s+(\d+)\s+\[failed:\s*(\d+)\]/m.exec(text);
  if (!master) throw new Error(`unexpected 'show proc' answer: ${text.slice(0, 200)}`);
  const workers: { pid: number; reloads: number }[] = [];
  for (const m of text.matchAll(/^(\d+)\s+worker\s+(\d+)/gm)) workers.push({ pid: Number(m[1]), reloads: Number(m[2]) });
  workers.sort((a, b) => a.reloads - b.reloads);
  return { reloads: Number(master[1]), failed: Number(master[2]), workers };
}

async function showProc(socket: string, deadline: number): Promise<MasterProcs> {
  for (;;) {
    try {
      return parseShowProc(await masterCommand(socket, "show proc"));
    } catch (err) {
      if (Date.now() >= deadline) throw new AppError("UNAVAILABLE", `HAProxy master CLI ${socket}: ${(err as Error).message}`);
      await sleep(100);
    }
  }
}

async function adminPid(adminSocket: string): Promise<number | null> {
  try {
    const m = /^Pid:\s*(\d+)/m.exec(await haproxyCommand(adminSocket, "show info", 1000));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Sends `reload` to the master CLI and waits until a NEW worker answers on
 * the admin socket. Throws when the master reports the reload as failed (it
 * keeps the old worker: nothing changed) or nothing answers in time.
 */
export async function reloadThroughMaster(masterSocket: string, adminSocket: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const before = await showProc(masterSocket, deadline);
  await masterCommand(masterSocket, "reload", 3000, 50).catch(() => "");
  for (;;) {
    const after = await showProc(masterSocket, deadline);
    if (after.failed > before.failed) {
      throw new AppError(
        "UNAVAILABLE",
        "HAProxy could not start a worker with the new configuration (the master reports a failed reload; its log says why) and kept the previous one",
      );
    }
    const newest = after.workers[0];
    if (after.reloads > before.reloads && newest && newest.reloads === 0 && (await adminPid(adminSocket)) === newest.pid) return;
    if (Date.now() >= deadline)
      throw new AppError("UNAVAILABLE", `HAProxy's new worker did not answer on ${adminSocket} within ${timeoutMs} ms`);
    await sleep(50);
  }
}
