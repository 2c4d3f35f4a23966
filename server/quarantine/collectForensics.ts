import "server-only";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import type Docker from "dockerode";
import { dataDir } from "@/db/client";
import { config } from "@/server/config";
import type { QuarantineRow } from "./quarantineRows";
import { bundleEntries, demuxLogs, pathsToCopy, redactEnv, redactValues, type Change, type SpecialMode } from "./forensicsFormat";
import { readTar, writeTar, type TarEntry } from "./tarArchive";
import { secretsOfRelease } from "./releaseSecrets";

export type Forensics = { path: string; bytes: number; capBytes: number; truncated: boolean; copied: number; changes: number };

const LOG_TAIL = 2000;

/** Reads a stream into memory, giving up (null) once it passes `limit` bytes. */
async function readCapped(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function forensicsFile(quarantineId: number): string {
  return path.join(dataDir(), "forensics", `quarantine-${quarantineId}.tar.gz`);
}

/**
 * The forensic bundle of a quarantined container, before it is destroyed:
 * inspect (secret env values redacted), the last logs, `docker diff`, and the
 * added/changed files copied out (up to SWITCHYARD_FORENSICS_CAP_MB; the cap
 * and whether it was reached are recorded), as one .tar.gz in the data dir.
 * The engine's archives are re-packed entry by entry (bundleEntries): modes
 * without setuid/setgid/sticky and owned by root (the originals listed in the
 * manifest's files.specialModes), and links as links, never followed.
 */
export async function collectForensics(q: QuarantineRow, container: Docker.Container): Promise<Forensics> {
  const capBytes = Math.round(config().SWITCHYARD_FORENSICS_CAP_MB * 1024 * 1024);
  const inspect = await container.inspect();
  const secrets = secretsOfRelease(q.serviceName, q.releaseNumber, inspect.Config.Env ?? []);
  const redactedInspect = { ...inspect, Config: { ...inspect.Config, Env: redactEnv(inspect.Config.Env, secrets.names) } };
  const rawLogs = await container.logs({ stdout: true, stderr: true, tail: LOG_TAIL, timestamps: true, follow: false });
  const logs = inspect.Config.Tty ? rawLogs.toString("utf8") : demuxLogs(rawLogs);
  const changes = ((await container.changes()) ?? []) as Change[];

  const files: TarEntry[] = [];
  const symlinks = new Set<string>();
  const specialModes: SpecialMode[] = [];
  const copied: string[] = [];
  const skipped: { path: string; why: string }[] = [];
  let used = 0;
  for (const p of pathsToCopy(changes)) {
    const room = capBytes - used;
    const archive =
      room > 0
        ? await container.getArchive({ path: p }).then(
            (s) => readCapped(s, room),
            (err: Error) => err,
          )
        : null;
    if (archive === null || archive instanceof Error) {
      skipped.push({ path: p, why: archive instanceof Error ? archive.message : `over the ${capBytes}-byte cap` });
      continue;
    }
    const bundled = bundleEntries(p, await readTar(archive), symlinks);
    files.push(...bundled.entries);
    specialModes.push(...bundled.specialModes);
    for (const name of bundled.refused)
      skipped.push({ path: `${p} (entry ${name})`, why: "its name or hard-link target climbs out with '..' or lies under a symlink" });
    used += archive.length;
    copied.push(p);
  }
  const truncated = skipped.some((s) => s.why.includes("cap"));
  const collectedAt = new Date().toISOString();
  const manifest = {
    quarantine: {
      id: q.id,
      reason: q.reason,
      by: q.quarantinedBy,
      at: q.quarantinedAt.toISOString(),
      deadline: q.deadline?.toISOString() ?? null,
    },
    container: {
      dockerId: q.dockerId,
      originalName: q.originalName,
      name: q.quarantinedName,
      host: q.hostName,
      service: q.serviceName,
      release: q.releaseNumber,
    },
    collectedAt,
    logs: { tail: LOG_TAIL },
    // Original modes and owners of the entries whose setuid/setgid/sticky bits the bundle strips.
    files: { capBytes, bytes: used, truncated, copied, skipped, specialModes },
    redactedEnv: [...secrets.names],
  };
  const text = (s: string) => Buffer.from(redactValues(s, secrets.values), "utf8");
  const tar = await writeTar([
    { name: "manifest.json", data: Buffer.from(JSON.stringify(manifest, null, 2)) },
    { name: "inspect.json", data: text(JSON.stringify(redactedInspect, null, 2)) },
    { name: "logs.txt", data: text(logs) },
    { name: "changes.json", data: Buffer.from(JSON.stringify(changes, null, 2)) },
    ...files,
  ]);
  const file = forensicsFile(q.id);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(`${file}.tmp`, zlib.gzipSync(tar), { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
  return { path: file, bytes: fs.statSync(file).size, capBytes, truncated, copied: copied.length, changes: changes.length };
}
