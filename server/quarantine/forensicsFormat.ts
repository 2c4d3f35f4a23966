/**
 * Pure pieces of the forensic bundle: log demultiplexing, secret redaction,
 * which changed paths to copy, and where their files go in the bundle.
 * No server imports: unit-tested.
 */
import type { TarEntry } from "./tarArchive";

export const REDACTED = "********";

/**
 * `GET /containers/{id}/logs` of a container without a TTY is multiplexed:
 * frames of [stream, 0, 0, 0, size (uint32 BE)] + payload. Returns the text,
 * stderr lines marked; a TTY container's raw stream is returned as is.
 */
export function demuxLogs(buf: Buffer): string {
  const frames: string[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const stream = buf[at]!;
    if (stream > 2 || buf[at + 1] !== 0 || buf[at + 2] !== 0 || buf[at + 3] !== 0) return buf.toString("utf8");
    const size = buf.readUInt32BE(at + 4);
    const text = buf.subarray(at + 8, at + 8 + size).toString("utf8");
    frames.push(stream === 2 ? text.replace(/^(?=.)/gm, "[stderr] ") : text);
    at += 8 + size;
  }
  if (at < buf.length && frames.length === 0) return buf.toString("utf8");
  return frames.join("");
}

/** `NAME=value` entries whose NAME the release spec marks secret get their value masked. */
export function redactEnv(env: readonly string[] | null | undefined, secretNames: ReadonlySet<string>): string[] {
  return (env ?? []).map((entry) => {
    const eq = entry.indexOf("=");
    const name = eq < 0 ? entry : entry.slice(0, eq);
    return secretNames.has(name) ? `${name}=${REDACTED}` : entry;
  });
}

/** Every occurrence of a secret value in free text (logs, command lines) masked; values under 4 characters are left alone. */
export function redactValues(text: string, secretValues: readonly string[]): string {
  let out = text;
  for (const v of [...secretValues].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(v).join(REDACTED);
  return out;
}

export type Change = { Path: string; Kind: number };

/**
 * The paths to copy out of a container from `docker diff`: added (1) and
 * modified (0) ones, deleted (2) skipped; a directory that is listed only
 * because something under it changed is not copied whole, only its children.
 */
export function pathsToCopy(changes: readonly Change[] | null | undefined): string[] {
  const kept = (changes ?? []).filter((c) => c.Kind === 0 || c.Kind === 1).map((c) => c.Path);
  const all = new Set((changes ?? []).map((c) => c.Path));
  const hasChild = (p: string) => [...all].some((other) => other !== p && other.startsWith(p === "/" ? "/" : `${p}/`));
  return kept.filter((p) => !hasChild(p)).sort();
}

/**
 * The engine's archive of `/www/x` names its entries `x`, `x/…`; in the bundle
 * they live under `files/www/x`, so the bundle keeps the container's layout.
 */
export function bundlePath(copiedPath: string, entryName: string): string {
  const dir = copiedPath.replace(/\/+$/, "").split("/").slice(0, -1).join("/");
  const clean = entryName.replace(/^\.?\/+/, "");
  return `files${dir}/${clean}`.replace(/\/{2,}/g, "/");
}

const climbsOut = (name: string) => name.split("/").includes("..");

/** Some proper ancestor of `name` is one of `links` (checked per ancestor: linear in the name). */
function underOneOf(name: string, links: ReadonlySet<string>): boolean {
  for (let i = name.indexOf("/"); i > 0; i = name.indexOf("/", i + 1)) if (links.has(name.slice(0, i))) return true;
  return false;
}

/**
 * The entries of the engine's archive of `copiedPath`, re-rooted under files/:
 * names and hard-link targets (which name an earlier entry of the same
 * archive) move with bundlePath; a symlink keeps the target the container
 * wrote (it is recorded, never followed or resolved). Modes keep only the
 * permission bits (setuid, setgid and sticky stripped) and the owner becomes
 * root (uid/gid 0); every entry that had a special bit is listed in
 * `specialModes` with its original mode (octal) and owner, for the manifest.
 * Refused, by name: an entry or hard-link target with a '..' segment, and an
 * entry or hard-link target under a symlink already in the bundle
 * (`symlinks`, shared across copies), since extracting it would write (or
 * link) through the link.
 */
export type SpecialMode = { path: string; mode: string; uid: number; gid: number };

export function bundleEntries(
  copiedPath: string,
  entries: readonly TarEntry[],
  symlinks: Set<string>,
): { entries: TarEntry[]; refused: string[]; specialModes: SpecialMode[] } {
  const kept: TarEntry[] = [];
  const refused: string[] = [];
  const specialModes: SpecialMode[] = [];
  for (const e of entries) {
    const name = bundlePath(copiedPath, e.name).replace(/\/$/, "");
    const linkTarget = e.type === "link" ? bundlePath(copiedPath, e.linkname).replace(/\/$/, "") : null;
    const badLink = linkTarget !== null && (climbsOut(e.linkname) || underOneOf(linkTarget, symlinks));
    if (climbsOut(e.name) || underOneOf(name, symlinks) || badLink) {
      refused.push(e.name);
      continue;
    }
    if (e.type === "symlink") symlinks.add(name);
    if (e.mode & 0o7000) specialModes.push({ path: name, mode: (e.mode & 0o7777).toString(8).padStart(4, "0"), uid: e.uid, gid: e.gid });
    kept.push({ ...e, name, mode: e.mode & 0o777, uid: 0, gid: 0, linkname: linkTarget ?? e.linkname });
  }
  return { entries: kept, refused, specialModes };
}

/** Counts of a `docker diff`, for the page's "drift so far". */
export function changeCounts(changes: readonly Change[] | null | undefined): {
  added: number;
  modified: number;
  deleted: number;
  total: number;
} {
  const list = changes ?? [];
  const added = list.filter((c) => c.Kind === 1).length;
  const deleted = list.filter((c) => c.Kind === 2).length;
  return { added, modified: list.length - added - deleted, deleted, total: list.length };
}
