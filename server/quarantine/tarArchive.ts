/**
 * Tar in and out through tar-stream: reads the archives an engine returns for
 * changed files (GET /containers/{id}/archive) and writes the forensic bundle.
 * Entries are plain data: nothing here touches the host's filesystem, so a
 * link is only ever recorded, never followed.
 */
import { extract as tarExtract, pack as tarPack } from "tar-stream";

export type TarEntryType = "file" | "directory" | "symlink" | "link" | "character-device" | "block-device" | "fifo" | "contiguous-file";

export type TarEntry = {
  name: string;
  type: TarEntryType;
  /** Permission bits with setuid, setgid and sticky (mode & 0o7777). */
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
  /** A symlink's target as written, or the entry a hard link names. */
  linkname: string;
  uid: number;
  gid: number;
  data: Buffer;
};

export type TarInput = Partial<TarEntry> & { name: string };

/** Every entry of a tar archive (PAX and GNU long names and link targets applied by tar-stream). */
export function readTar(archive: Buffer): Promise<TarEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: TarEntry[] = [];
    const extract = tarExtract();
    extract.on("entry", (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", reject);
      stream.on("end", () => {
        entries.push({
          name: header.name,
          type: header.type as TarEntryType,
          mode: header.mode & 0o7777,
          mtime: Math.floor(header.mtime.getTime() / 1000),
          linkname: header.linkname ?? "",
          uid: header.uid,
          gid: header.gid,
          data: Buffer.concat(chunks),
        });
        next();
      });
    });
    extract.on("finish", () => resolve(entries));
    extract.on("error", reject);
    extract.end(archive);
  });
}

/**
 * One archive of `entries`, in order. Directories get their trailing '/';
 * long or non-ASCII names and link targets go into PAX headers. tar-stream
 * writes a mode of exactly 0 as its default (0o644, 0o755 for a directory).
 * Written for the forensic bundle: permission bits only (setuid, setgid and
 * sticky stripped) and owner root (uid/gid 0), so extracting it as root can
 * never create a setuid file; bundleEntries records the original modes.
 */
export function writeTar(entries: readonly TarInput[]): Promise<Buffer> {
  const pack = tarPack();
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    pack.on("data", (chunk: Buffer) => chunks.push(chunk));
    pack.on("end", () => resolve(Buffer.concat(chunks)));
    pack.on("error", reject);
  });
  for (const e of entries) {
    const type = e.type ?? "file";
    const hasData = type === "file" || type === "contiguous-file";
    // Always a buffer (empty for links): tar-stream would otherwise wait for a symlink's target as a stream.
    pack.entry(
      {
        name: type === "directory" && !e.name.endsWith("/") ? `${e.name}/` : e.name,
        type,
        mode: (e.mode ?? (type === "directory" ? 0o755 : 0o644)) & 0o777,
        mtime: new Date((e.mtime ?? Math.floor(Date.now() / 1000)) * 1000),
        linkname: e.linkname ?? "",
        uid: 0,
        gid: 0,
      },
      hasData ? (e.data ?? Buffer.alloc(0)) : Buffer.alloc(0),
    );
  }
  pack.finalize();
  return done;
}
