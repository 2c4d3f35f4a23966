import "server-only";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import type Docker from "dockerode";
import { dataDir, db } from "@/db/client";
import { config } from "@/server/config";
import type { QuarantineRow } from "./quarantineRows";
import { bundleEntries, demuxLogs, pathsToCopy, redactEnv, redactValues, type Change, type SpecialMode } from "./forensicsFormat";
import { readTar, writeTar, type TarEntry } from "./tarArchive";
import { secretsOfRelease } from "./releaseSecrets";
import { isolationOf } from "./isolateNetwork";
import { captureProcesses, type ProcessSnapshot } from "./processSnapshot";
import { extensionsOf } from "./quarantineRows";
import { bundleSteps, sumsEntries } from "./bundleRecord";
import { buildSha256Sums, sha256Hex } from "./sha256Sums";
import { transcriptText } from "./transcriptFormat";
import { transcriptOf } from "./transcriptRows";

export type Forensics = {
  path: string;
  bytes: number;
  capBytes: number;
  truncated: boolean;
  copied: number;
  changes: number;
  /** SHA-256 (hex) of the .tar.gz as stored. */
  sha256: string;
};

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
 * Also: `docker top` now and as taken at quarantine, the image's history,
 * the debug console's transcript, who did what when (steps.json), and
 * SHA256SUMS over every regular file, for `sha256sum -c`. Built at destroy
 * time, by `by` ("timer" or a user); each file says when it was captured.
 */
export async function collectForensics(q: QuarantineRow, docker: Docker, by: string): Promise<Forensics> {
  const container = docker.getContainer(q.dockerId);
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
  const atDestroy = await captureProcesses(container, "destroy", by);
  const atQuarantine: ProcessSnapshot | { when: "quarantine"; error: string } = q.processesAtQuarantine
    ? (JSON.parse(q.processesAtQuarantine) as ProcessSnapshot)
    : { when: "quarantine", error: "not recorded: quarantined before Switchyard took the process list" };
  const history = await docker
    .getImage(inspect.Image)
    .history()
    .then(
      (layers: unknown) => ({ layers, error: null }),
      (err: Error) => ({ layers: [], error: err.message }),
    );
  const transcript = transcriptOf(db(), q.id);
  const network = isolationOf(q);
  const collectedAt = new Date().toISOString();
  const when = (captured: string) => `captured ${captured}; this bundle was built at destroy time (${collectedAt}, by ${by})`;
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
    bundle: {
      builtAt: collectedAt,
      builtWhen: "destroy",
      builtBy: by,
      captured: {
        "processes-at-quarantine.json": `at quarantine time (${q.quarantinedAt.toISOString()}), stored in Switchyard's database until now`,
        "transcript.json": "each command as it ran (debug console, while quarantined), stored in Switchyard's database until now",
        "steps.json": "who did what when, from Switchyard's records",
        others: "at destroy time, just before the container was removed",
      },
      sha256sums:
        "SHA256SUMS lists every regular file and hard link in this bundle (check with sha256sum -c SHA256SUMS); symlinks and directories are not hashed (sha256sum would follow a link out of the bundle)",
    },
    network,
    logs: { tail: LOG_TAIL },
    // Original modes and owners of the entries whose setuid/setgid/sticky bits the bundle strips.
    files: { capBytes, bytes: used, truncated, copied, skipped, specialModes },
    redactedEnv: [...secrets.names],
  };
  const text = (s: string) => Buffer.from(redactValues(s, secrets.values), "utf8");
  const json = (v: unknown) => text(JSON.stringify(v, null, 2));
  const steps = bundleSteps(q, extensionsOf(q.id), transcript, network, { by, at: collectedAt });
  const entries: TarEntry[] = [
    { name: "manifest.json", data: Buffer.from(JSON.stringify(manifest, null, 2)) },
    { name: "inspect.json", data: text(JSON.stringify(redactedInspect, null, 2)) },
    { name: "logs.txt", data: text(logs) },
    { name: "changes.json", data: Buffer.from(JSON.stringify(changes, null, 2)) },
    { name: "processes-at-quarantine.json", data: json({ ...atQuarantine, note: when(`at quarantine time`) }) },
    { name: "processes-at-destroy.json", data: json({ ...atDestroy, note: when("at destroy time") }) },
    {
      name: "image-history.json",
      data: json({ image: inspect.Image, ref: inspect.Config.Image, ...history, note: when("at destroy time") }),
    },
    { name: "transcript.json", data: json({ note: when("command by command, while quarantined"), entries: transcript }) },
    { name: "transcript.txt", data: text(transcriptText(transcript)) },
    { name: "steps.json", data: json({ note: when("from Switchyard's records"), steps }) },
    ...files,
  ].map((e) => ({ type: "file", mode: 0o644, mtime: Math.floor(Date.now() / 1000), linkname: "", uid: 0, gid: 0, ...e }) as TarEntry);
  const tar = await writeTar([...entries, { name: "SHA256SUMS", data: Buffer.from(buildSha256Sums(sumsEntries(entries))) }]);
  const gz = zlib.gzipSync(tar);
  const file = forensicsFile(q.id);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(`${file}.tmp`, gz, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
  return { path: file, bytes: gz.length, capBytes, truncated, copied: copied.length, changes: changes.length, sha256: sha256Hex(gz) };
}
