/**
 * A stand-in dashboard for the fault tests: the same server code in its own
 * process, on the test's database and lab. It imports everything, prints
 * {"ready"}, then reads ONE command (JSON) from stdin and runs it:
 *
 *   {"verb":"deploy","service":"…","image":"1.1.0"}   deployRelease
 *   {"verb":"switch","service":"…"}                    switchTraffic
 *   {"verb":"quarantine","hostId":1,"container":"…",…}  quarantineContainer
 *   {"verb":"timers"}                                   one pass of the quarantine timers (destroys what is due)
 *
 * With "pause" it stops dead (the whole process, Atomics.wait) at one exact
 * point and prints {"paused": label}, so that the test SIGKILLs it there:
 *
 *   kind "db":   before / right after a write to SQLite, once a probe query returns a row
 *                (e.g. "the step 'health gate…' is recorded running");
 *   kind "dial": before a Docker engine request is sent / when its answer has arrived,
 *                before the server code sees it (e.g. "DELETE /containers/<id>").
 *
 *   node --conditions=react-server --import tsx test/integration/faultChild.ts
 *
 * Run from the repository root with SWITCHYARD_DATA_DIR and SWITCHYARD_HAPROXY_SOCKET set.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import readline from "node:readline";
import type { Actor } from "@/server/auth/actor";
import { errorMessage } from "@/server/errors";
import type { ChildCommand, PausePlan } from "./faultLab";

const say = (o: unknown) => fs.writeSync(1, `${JSON.stringify(o)}\n`);
const actor: Actor = { userId: 0, username: "fault-child", role: "admin", via: "session", ip: "127.0.0.1" };

const { db } = await import("@/db/client");
const { deployRelease } = await import("@/server/releases/deployRelease");
const { switchTraffic } = await import("@/server/releases/switchTraffic");
const { runQuarantineTimers } = await import("@/server/quarantine/quarantineTimers");
const { quarantineContainer } = await import("@/server/quarantine/quarantineContainer");
db();

function freeze(label: string, detail: unknown): never {
  say({ paused: label, detail });
  // Nothing runs after this: no timer, no I/O, no SQLite. The test SIGKILLs the process here.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  throw new Error("unreachable");
}

type Stmt = { run: (...a: unknown[]) => unknown; get: (...a: unknown[]) => unknown; all: (...a: unknown[]) => unknown };

/** Wraps every write statement of the process's one SQLite connection: the probe runs before / after it. */
function pauseOnDb(plan: Extract<PausePlan, { kind: "db" }>) {
  const client = db().$client as unknown as { prepare: (sql: string) => Stmt };
  const prepare = client.prepare.bind(client);
  const probe = prepare(plan.sql);
  let fired = false;
  const check = (sql: string) => {
    if (fired) return;
    const hit = probe.get(...(plan.params ?? []));
    if (hit) {
      fired = true;
      freeze(plan.label, { sql: sql.slice(0, 120), hit });
    }
  };
  client.prepare = (sql: string) => {
    const stmt = prepare(sql);
    if (!/^\s*(insert|update|delete)\b/i.test(sql)) return stmt;
    for (const m of ["run", "get", "all"] as const) {
      const orig = stmt[m].bind(stmt);
      stmt[m] = (...args: unknown[]) => {
        if (plan.when === "before") check(sql);
        const result = orig(...args);
        if (plan.when === "after") check(sql);
        return result;
      };
    }
    return stmt;
  };
}

type DialOptions = { method?: string; path?: string };
type DialCallback = (err: unknown, data: unknown) => void;
type ModemClass = { prototype: { dial: (this: unknown, options: DialOptions, callback: DialCallback) => unknown } };

/** Wraps docker-modem (dockerode's HTTP layer): pause before the request goes out, or when its answer is in. */
function pauseOnDial(plan: Extract<PausePlan, { kind: "dial" }>) {
  const Modem = createRequire(import.meta.url)("docker-modem") as ModemClass;
  const dial = Modem.prototype.dial;
  const re = new RegExp(plan.path);
  let fired = false;
  Modem.prototype.dial = function (options, callback) {
    const hit = !fired && options.method === plan.method && re.test(options.path ?? "");
    if (!hit) return dial.call(this, options, callback);
    fired = true;
    if (plan.when === "before") freeze(plan.label, { method: options.method, path: options.path });
    return dial.call(this, options, (err, data) => {
      freeze(plan.label, { method: options.method, path: options.path, error: err ? String(err) : null });
      callback(err, data);
    });
  };
}

say({ ready: true, pid: process.pid });
const rl = readline.createInterface({ input: process.stdin });
const line = await new Promise<string>((resolve) => rl.once("line", resolve));
rl.close();
const cmd = JSON.parse(line) as ChildCommand;
if (cmd.actor) actor.username = cmd.actor;
if (cmd.pause?.kind === "db") pauseOnDb(cmd.pause);
if (cmd.pause?.kind === "dial") pauseOnDial(cmd.pause);

try {
  if (cmd.verb === "deploy") {
    const { operationId, done } = deployRelease(actor, cmd.service, "deploy", { image: cmd.image });
    say({ started: operationId });
    await done;
    say({ finished: operationId });
  } else if (cmd.verb === "switch") {
    say({ started: null });
    const result = await switchTraffic(actor, cmd.service, "switch");
    say({ finished: result.operationId });
  } else if (cmd.verb === "quarantine") {
    const { operationId, done } = await quarantineContainer(actor, {
      hostId: cmd.hostId,
      container: cmd.container,
      reason: cmd.reason,
      lifetimeS: cmd.lifetimeS,
    });
    say({ started: operationId });
    await done;
    say({ finished: operationId });
  } else {
    say({ started: null });
    await runQuarantineTimers({ wait: true });
    say({ finished: true });
  }
} catch (err) {
  say({ failed: errorMessage(err), code: (err as { code?: string }).code ?? null });
}
process.exit(0);
