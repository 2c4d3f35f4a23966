import "server-only";
import net from "node:net";
import { invalid } from "@/server/errors";
import { HaproxyCommandError, HaproxyUnavailable } from "./errors";
import { haproxyErrorReply } from "./errorReply";

export { HaproxyCommandError, HaproxyUnavailable } from "./errors";

/** "127.0.0.1:9999", "ipv4@127.0.0.1:9999" or "[::1]:9999" is TCP; anything else is a Unix socket path. */
function socketTarget(socket: string): net.NetConnectOpts {
  const tcp = /^(?:ipv[46]@)?(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]|localhost):(\d{1,5})$/.exec(socket);
  if (tcp) return { host: tcp[1]!.replace(/^\[|\]$/g, ""), port: Number(tcp[2]) };
  return { path: socket };
}

function osReason(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case "ENOENT":
      return "no such socket (is HAProxy running with this 'stats socket'?)";
    case "ECONNREFUSED":
      return "connection refused";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTSOCK":
      return "not a socket";
    case "ECONNRESET":
      return "connection reset";
    default:
      return err.code ? `${err.code}: ${err.message}` : err.message;
  }
}

/** The CLI reads one command per line and treats ';' as a separator: refuse anything that could chain commands. */
function assertSingleCommand(command: string) {
  if (!command.trim()) throw invalid("HAProxy command is empty");
  if (/[\r\n;\0]/.test(command)) throw invalid(`HAProxy command must be one line without ';': ${JSON.stringify(command)}`);
}

/** Sends one command, reads until HAProxy closes the connection; returns the raw reply. */
function exchange(socket: string, command: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const conn = net.createConnection(socketTarget(socket));
    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      conn.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const timer = setTimeout(() => finish(new HaproxyUnavailable(socket, `no answer within ${timeoutMs} ms`)), timeoutMs);
    conn.on("connect", () => conn.write(`${command}\n`));
    conn.on("data", (chunk: Buffer) => chunks.push(chunk));
    conn.on("end", () => finish(null));
    conn.on("close", () => finish(null));
    conn.on("error", (err: NodeJS.ErrnoException) => finish(new HaproxyUnavailable(socket, osReason(err))));
  });
}

/**
 * Runs one runtime-API command on the admin socket (Unix path or host:port).
 * Resolves with the reply (trailing blank lines trimmed); rejects with
 * HaproxyUnavailable when the socket cannot be used, HaproxyCommandError when
 * HAProxy answers with an error.
 */
export async function haproxyCommand(socket: string, command: string, timeoutMs = 3000): Promise<string> {
  assertSingleCommand(command);
  const reply = (await exchange(socket, command, timeoutMs)).replace(/\s+$/, "");
  const error = haproxyErrorReply(reply);
  if (error !== null) throw new HaproxyCommandError(command, error);
  return reply;
}
