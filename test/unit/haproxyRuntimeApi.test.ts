/** The runtime-API transport against a fake admin socket (no HAProxy needed). */
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HaproxyCommandError, HaproxyUnavailable, haproxyCommand } from "@/server/haproxy/runtimeApi";

let dir = "";
const servers: net.Server[] = [];
const received: string[] = [];

/** Answers like HAProxy's CLI in non-interactive mode: read one line, write the reply, close. */
function fakeHaproxy(listenOn: string | number, reply: (command: string) => string | null): Promise<string> {
  return new Promise((resolve) => {
    const srv = net.createServer((conn) => {
      let buf = "";
      conn.on("data", (d) => {
        buf += d.toString();
        const nl = buf.indexOf("\n");
        if (nl < 0) return;
        const command = buf.slice(0, nl);
        received.push(command);
        const answer = reply(command);
        if (answer === null) return; // hang: never answer
        // Split the answer over several writes, as a long `show stat` would arrive.
        const mid = Math.floor(answer.length / 2);
        conn.write(answer.slice(0, mid));
        setTimeout(() => conn.end(answer.slice(mid)), 5);
      });
    });
    servers.push(srv);
    if (typeof listenOn === "string") srv.listen(listenOn, () => resolve(listenOn));
    else srv.listen(listenOn, "127.0.0.1", () => resolve(`127.0.0.1:${(srv.address() as net.AddressInfo).port}`));
  });
}

const answer = (command: string) => {
  if (command === "hang") return null;
  if (command === "show info") return "Name: HAProxy\nVersion: 2.6.12\n\n";
  if (command.startsWith("set server be/nope")) return "No such server.\n\n";
  return "\n";
};

let unixSocket = "";
let tcpSocket = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "switchyard-haproxy-unit-"));
  unixSocket = await fakeHaproxy(path.join(dir, "admin.sock"), answer);
  tcpSocket = await fakeHaproxy(0, answer);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await rm(dir, { recursive: true, force: true });
});

describe("haproxyCommand", () => {
  it("sends one newline-terminated command and reads until the close", async () => {
    expect(await haproxyCommand(unixSocket, "show info")).toBe("Name: HAProxy\nVersion: 2.6.12");
    expect(received.at(-1)).toBe("show info");
    expect(await haproxyCommand(tcpSocket, "show info")).toBe("Name: HAProxy\nVersion: 2.6.12");
    expect(await haproxyCommand(unixSocket, "set server be/x state ready")).toBe("");
  });

  it("turns an error reply into HaproxyCommandError with HAProxy's text", async () => {
    const err = await haproxyCommand(unixSocket, "set server be/nope state ready").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HaproxyCommandError);
    expect(err).toMatchObject({ command: "set server be/nope state ready", reply: "No such server.", code: "UNPROCESSABLE" });
  });

  it("refuses commands that could chain others, without connecting", async () => {
    const before = received.length;
    for (const bad of ["show info; shutdown frontend fe", "show info\nshutdown frontend fe", "show info\r", "", "   "]) {
      await expect(haproxyCommand(unixSocket, bad)).rejects.toMatchObject({ code: "VALIDATION" });
    }
    expect(received.length).toBe(before);
  });

  it("names the socket and the OS reason when it cannot connect", async () => {
    const missing = path.join(dir, "missing.sock");
    const err = await haproxyCommand(missing, "show info").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HaproxyUnavailable);
    expect(err).toMatchObject({ socket: missing, code: "UNAVAILABLE" });
    expect((err as Error).message).toMatch(new RegExp(`^HAProxy admin socket ${missing}: no such socket`));
    const notASocket = path.join(dir);
    await expect(haproxyCommand(notASocket, "show info")).rejects.toBeInstanceOf(HaproxyUnavailable);
  });

  it("gives up after the timeout when HAProxy does not answer", async () => {
    const started = Date.now();
    await expect(haproxyCommand(unixSocket, "hang", 200)).rejects.toThrow(`HAProxy admin socket ${unixSocket}: no answer within 200 ms`);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
