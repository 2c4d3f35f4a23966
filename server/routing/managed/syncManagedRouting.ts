import "server-only";
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { db } from "@/db/client";
import { config } from "@/server/config";
import { AppError, errorMessage } from "@/server/errors";
import { backendServers, type ServerState } from "@/server/haproxy/serverState";
import { haproxyCommand } from "@/server/haproxy/runtimeApi";
import { listServiceRows, specOf } from "@/server/services/serviceRows";
import { haproxyCheckKind, haproxyCheckTiming } from "../haproxyCheck";
import { desiredMainBackend, desiredPreviewBackend } from "../desiredRouting";
import { applyServiceRouting, haproxySocket, recordedCandidateShare, routedContainers } from "../applyServiceRouting";
import { releasesOf } from "@/server/releases/releaseRows";
import { reloadThroughMaster } from "./masterCli";
import { insertReloadRow } from "./reloadRows";
import { managedStructure, renderManagedConfig, structureOfFile, type ManagedServer, type ManagedService } from "./renderManagedConfig";

const run = promisify(execFile);

export type ManagedPaths = { configPaths: string[]; managedFile: string; masterSocket: string };

/** The managed-routing settings, or null when none is set; throws naming what is missing when only some are. */
export function managedPaths(): ManagedPaths | null {
  const c = config();
  const set = {
    SWITCHYARD_HAPROXY_CONFIG: c.SWITCHYARD_HAPROXY_CONFIG,
    SWITCHYARD_HAPROXY_MANAGED_FILE: c.SWITCHYARD_HAPROXY_MANAGED_FILE,
    SWITCHYARD_HAPROXY_MASTER_SOCKET: c.SWITCHYARD_HAPROXY_MASTER_SOCKET,
  };
  const missing = Object.entries(set)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length === 3) return null;
  if (missing.length) throw new AppError("UNAVAILABLE", `Managed routing is half configured: set ${missing.join(", ")}.`);
  return {
    configPaths: set
      .SWITCHYARD_HAPROXY_CONFIG!.split(",")
      .map((p) => p.trim())
      .filter(Boolean),
    managedFile: path.resolve(set.SWITCHYARD_HAPROXY_MANAGED_FILE!),
    masterSocket: set.SWITCHYARD_HAPROXY_MASTER_SOCKET!,
  };
}

function requirePaths(): ManagedPaths {
  const p = managedPaths();
  if (!p)
    throw new AppError(
      "UNAVAILABLE",
      "Managed routing is not configured: set SWITCHYARD_HAPROXY_CONFIG, SWITCHYARD_HAPROXY_MANAGED_FILE and SWITCHYARD_HAPROXY_MASTER_SOCKET (see README, Routing).",
    );
  return p;
}

/** A server as it should be written: the runtime's weight and state when HAProxy has it, else what SQLite says it should be. */
function serverNow(
  d: { name: string; address: string; port: number; weight: number; state: "ready" | "drain" },
  actual: ServerState[],
): ManagedServer {
  const a = actual.find((s) => s.name === d.name && s.address === d.address && s.port === d.port);
  if (!a) return d;
  return { name: d.name, address: d.address, port: d.port, weight: a.weight, state: a.adminState };
}

async function runtimeServers(socket: string, backend: string): Promise<ServerState[]> {
  return backendServers(socket, backend).catch(() => []);
}

/** Every managed service with the servers SQLite recorded for it, at their current runtime weights. */
export async function managedServices(): Promise<ManagedService[]> {
  const out: ManagedService[] = [];
  const rows = listServiceRows().filter((r) => specOf(r).haproxy?.managed);
  const socket = rows.length ? haproxySocket() : "";
  for (const row of rows) {
    const spec = specOf(row);
    const h = spec.haproxy!;
    const m = h.managed!;
    const containers = routedContainers(row.id);
    const inter = haproxyCheckTiming(spec.healthCheck).inter;
    const hc = spec.healthCheck;
    const check =
      m.mode === "http" && haproxyCheckKind(hc) === "http" && hc.kind === "http"
        ? { kind: "http" as const, path: hc.path, expectStatus: hc.expectStatus, inter }
        : { kind: "tcp" as const, inter };
    const mainNow = await runtimeServers(socket, h.backend);
    const previewNow = h.previewBackend ? await runtimeServers(socket, h.previewBackend) : [];
    out.push({
      service: row.name,
      mode: m.mode,
      bind: m.bind,
      ...(m.previewBind && h.previewBackend ? { previewBind: m.previewBind, previewBackend: h.previewBackend } : {}),
      backend: h.backend,
      check,
      servers: desiredMainBackend(containers, recordedCandidateShare(row.id)).map((d) => serverNow(d, mainNow)),
      previewServers: h.previewBackend ? desiredPreviewBackend(containers).map((d) => serverNow(d, previewNow)) : [],
    });
  }
  return out;
}

/** The -f arguments HAProxy runs with, directories expanded to their *.cfg files (as HAProxy reads them), the managed file replaced by `candidate`. */
function validationFiles(paths: ManagedPaths, candidate: string): string[] {
  const files: string[] = [];
  for (const p of paths.configPaths) {
    const abs = path.resolve(p);
    if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) {
      for (const f of fs
        .readdirSync(abs)
        .filter((n) => n.endsWith(".cfg"))
        .sort())
        files.push(path.join(abs, f));
    } else files.push(abs);
  }
  const withoutManaged = files.filter((f) => f !== paths.managedFile);
  return [...withoutManaged, candidate];
}

/** `haproxy -c` on the whole configuration with the candidate include; null when valid, else HAProxy's reason. */
async function validate(paths: ManagedPaths, candidate: string): Promise<string | null> {
  const args = ["-c", ...validationFiles(paths, candidate).flatMap((f) => ["-f", f])];
  try {
    await run(config().SWITCHYARD_HAPROXY_BIN, args, { timeout: 20_000 });
    return null;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    const text = `${e.stdout ?? ""}${e.stderr ?? ""}`.trim() || e.message;
    return text.split(candidate).join(paths.managedFile).split("\n").filter(Boolean).slice(0, 12).join("\n");
  }
}

/** The managed backends HAProxy does not have (a lost include, an HAProxy started without it). */
async function missingBackends(socket: string, services: ManagedService[]): Promise<string[]> {
  const listed = new Set((await haproxyCommand(socket, "show backend")).split("\n").map((l) => l.trim()));
  return services.flatMap((s) => [s.backend, ...(s.previewBackend ? [s.previewBackend] : [])]).filter((b) => !listed.has(b));
}

function portFree(bind: string): Promise<boolean> {
  const i = bind.lastIndexOf(":");
  const host = bind.slice(0, i).replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", (err: NodeJS.ErrnoException) => resolve(err.code !== "EADDRINUSE"));
    server.listen({ host, port: Number(bind.slice(i + 1)), exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Binds new in this file (HAProxy does not hold them yet) that another program already listens on: the new worker could not start. */
async function bindsInUse(services: ManagedService[], previous: string): Promise<{ bind: string; service: string }[]> {
  const held = new Set([...previous.matchAll(/^\s+bind (\S+)/gm)].map((m) => m[1]));
  const fresh = services.flatMap((s) => [s.bind, ...(s.previewBind ? [s.previewBind] : [])].map((bind) => ({ bind, service: s.service })));
  const busy: { bind: string; service: string }[] = [];
  for (const b of fresh) if (!held.has(b.bind) && !(await portFree(b.bind))) busy.push(b);
  return busy;
}

function writeAtomically(file: string, text: string) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.w.tmp`);
  fs.writeFileSync(tmp, text, { mode: 0o644 });
  fs.renameSync(tmp, file);
}

export type SyncResult = { reloaded: boolean; durationMs: number };

function record(startedAt: Date, outcome: "ok" | "invalid" | "failed", trigger: string, error: string | null): number {
  const durationMs = Date.now() - startedAt.getTime();
  insertReloadRow(db(), { startedAt, durationMs, outcome, error, trigger: trigger.slice(0, 500) });
  return durationMs;
}

/** One pass: render, and when the structure changed (or HAProxy lacks a managed backend) validate, write and reload. */
async function syncOnce(trigger: string): Promise<SyncResult> {
  const paths = managedPaths();
  const services = await managedServices();
  if (!paths) {
    if (services.length) requirePaths();
    return { reloaded: false, durationMs: 0 };
  }
  const socket = haproxySocket();
  const text = renderManagedConfig(services);
  const previous = fs.existsSync(paths.managedFile) ? fs.readFileSync(paths.managedFile, "utf8") : null;
  // No managed service now, and none in the file HAProxy loaded: write the (empty) file, nothing to reload.
  const empty = managedStructure([]);
  if (services.length === 0 && [null, empty].includes(previous === null ? null : (structureOfFile(previous) ?? empty))) {
    if (text !== previous) writeAtomically(paths.managedFile, text);
    return { reloaded: false, durationMs: 0 };
  }
  const sameStructure = previous !== null && structureOfFile(previous) === managedStructure(services);
  if (sameStructure && (await missingBackends(socket, services)).length === 0) {
    // Only weights or states moved (a switch through the runtime API): keep the file current for whoever reloads next, no reload.
    if (text !== previous) writeAtomically(paths.managedFile, text);
    return { reloaded: false, durationMs: 0 };
  }

  const startedAt = new Date();
  const busy = await bindsInUse(services, previous ?? "");
  if (busy.length) {
    const why = busy.map((b) => `${b.bind} (service ${b.service}) is in use by another program`).join("; ");
    record(startedAt, "invalid", trigger, why);
    throw new AppError("CONFLICT", `Managed routing not applied, nothing was changed: ${why}. Choose another port.`);
  }
  const dir = path.dirname(paths.managedFile);
  // A dot file without .cfg: HAProxy never loads it from a directory.
  const candidate = path.join(dir, `.${path.basename(paths.managedFile)}.${process.pid}.tmp`);
  fs.writeFileSync(candidate, text, { mode: 0o644 });
  const refused = await validate(paths, candidate);
  if (refused !== null) {
    fs.rmSync(candidate, { force: true });
    record(startedAt, "invalid", trigger, refused);
    throw new AppError("VALIDATION", `HAProxy refused the managed routing configuration; nothing was changed. haproxy -c said: ${refused}`);
  }
  fs.renameSync(candidate, paths.managedFile);
  try {
    await reloadThroughMaster(paths.masterSocket, socket);
    const missing = await missingBackends(socket, services);
    if (missing.length)
      throw new AppError(
        "UNAVAILABLE",
        `after the reload HAProxy has no backend ${missing.join(", ")}: does it load ${paths.managedFile} (-f ${paths.managedFile} or its directory)?`,
      );
  } catch (err) {
    // Put the previous file back, so the next pass sees the difference and tries again.
    if (previous === null) fs.rmSync(paths.managedFile, { force: true });
    else fs.writeFileSync(paths.managedFile, previous);
    record(startedAt, "failed", trigger, errorMessage(err));
    throw err;
  }
  const durationMs = record(startedAt, "ok", trigger, null);
  await reapplyExistingBackends();
  return { reloaded: true, durationMs };
}

/**
 * A reload drops every server added only through the runtime API, including
 * those of services routed to hand-written backends (HAProxy 2.6 cannot carry
 * them over: they are in no file). Put them back at once instead of at the
 * next reconcile; until then those backends have no server (measured by
 * `npm run bench:routing` with BENCH_DEMO=existing).
 */
async function reapplyExistingBackends(): Promise<void> {
  const rows = listServiceRows().filter((r) => {
    const h = specOf(r).haproxy;
    return h && !h.managed && releasesOf(r.id, 1).length > 0;
  });
  await Promise.all(rows.map((r) => applyServiceRouting(r.id, specOf(r)).catch(() => undefined)));
}

type Waiter = { triggers: string[]; promise: Promise<SyncResult>; resolve: (r: SyncResult) => void; reject: (e: unknown) => void };
const state = globalThis as unknown as { switchyardManagedSync?: { running: Promise<unknown> | null; queued: Waiter | null } };

function queue() {
  state.switchyardManagedSync ??= { running: null, queued: null };
  return state.switchyardManagedSync;
}

function start(w: Waiter) {
  const q = queue();
  const p = syncOnce(w.triggers.join(", ")).then(w.resolve, w.reject);
  q.running = p.finally(() => {
    q.running = null;
    const next = q.queued;
    q.queued = null;
    if (next) start(next);
  });
}

/**
 * Makes the managed include file and HAProxy match SQLite. One pass at a
 * time in this process; requests arriving during a pass are coalesced into
 * the next one (each caller waits for a pass that started after its call).
 * Throws with HAProxy's reason when validation or the reload fails.
 */
export function syncManagedRouting(trigger: string): Promise<SyncResult> {
  const q = queue();
  if (q.queued) {
    q.queued.triggers.push(trigger);
    return q.queued.promise;
  }
  let resolve!: (r: SyncResult) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<SyncResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const w: Waiter = { triggers: [trigger], promise, resolve, reject };
  if (q.running) q.queued = w;
  else start(w);
  return promise;
}
