/**
 * Optional (BENCH_TRACE_HAPROXY=1): a pass-through for HAProxy's admin socket
 * that records every runtime-API command the dashboard sends, with the time it
 * was sent and the time HAProxy's answer ended, on the benchmark's clock. The
 * dashboard is pointed at this socket instead of HAProxy's; everything is
 * forwarded unchanged (each command is one short Unix-socket connection).
 */
import fs from "node:fs";
import net from "node:net";
import { now } from "./clock";

export type TracedCommand = { t0: number; t1: number; command: string; reply: string };

export function traceSocket(upstream: string, listenPath: string) {
  const commands: TracedCommand[] = [];
  fs.rmSync(listenPath, { force: true });
  const server = net.createServer((client) => {
    const t0 = now();
    let sent = "";
    let reply = "";
    const up = net.createConnection({ path: upstream });
    client.on("data", (c: Buffer) => {
      sent += c.toString("utf8");
      up.write(c);
    });
    client.on("end", () => up.end());
    up.on("data", (c: Buffer) => {
      reply += c.toString("utf8");
      client.write(c);
    });
    const done = () => {
      commands.push({ t0, t1: now(), command: sent.trim(), reply: reply.trim().slice(0, 200) });
      client.end();
    };
    up.once("close", done);
    up.on("error", () => client.destroy());
    client.on("error", () => up.destroy());
  });
  return {
    commands,
    listen: () => new Promise<void>((r) => server.listen(listenPath, () => r())),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
