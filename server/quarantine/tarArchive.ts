/**
 * Pure: a small tar reader and writer (POSIX ustar, with PAX records for long
 * names), enough to re-root the archives an engine returns for changed files
 * (GET /containers/{id}/archive) into one forensic bundle. Unit-tested.
 */
export type TarEntry = {
  name: string;
  /** "0" file, "5" directory, "2" symlink, "1" hard link, others passed through. */
  type: string;
  mode: number;
  /** Seconds since the epoch. */
  mtime: number;
  linkname: string;
  data: Buffer;
};

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul < 0 ? length : nul).toString("utf8");
}

function numeric(header: Buffer, start: number, length: number): number {
  const first = header[start]!;
  if (first & 0x80) {
    // base-256 (GNU) for large values
    let n = 0;
    for (let i = 1; i < length; i++) n = n * 256 + header[start + i]!;
    return n;
  }
  const text = field(header, start, length).trim();
  return text ? parseInt(text, 8) : 0;
}

/** "27 path=some/long/name\n" records of a PAX header. */
export function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space < 0) break;
    const length = Number(data.subarray(at, space).toString("ascii"));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, at + length - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    at += length;
  }
  return out;
}

/** Every entry of a tar archive (PAX `x` and GNU `L`/`K` long names applied; global headers skipped). */
export function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let pax: Record<string, string> = {};
  let longName: string | null = null;
  let longLink: string | null = null;
  let at = 0;
  while (at + BLOCK <= archive.length) {
    const header = archive.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) break;
    const type = String.fromCharCode(header[156]!) === "\0" ? "0" : String.fromCharCode(header[156]!);
    const size = pax.size !== undefined ? Number(pax.size) : numeric(header, 124, 12);
    const data = archive.subarray(at + BLOCK, at + BLOCK + size);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "x") {
      pax = { ...pax, ...parsePax(data) };
      continue;
    }
    if (type === "g") continue;
    if (type === "L" || type === "K") {
      const text = data.toString("utf8").replace(/\0+$/, "");
      if (type === "L") longName = text;
      else longLink = text;
      continue;
    }
    const prefix = field(header, 257, 6) === "ustar" ? field(header, 345, 155) : "";
    const plain = field(header, 0, 100);
    entries.push({
      name: pax.path ?? longName ?? (prefix ? `${prefix}/${plain}` : plain),
      type,
      mode: numeric(header, 100, 8),
      mtime: pax.mtime !== undefined ? Math.floor(Number(pax.mtime)) : numeric(header, 136, 12),
      linkname: pax.linkpath ?? longLink ?? field(header, 157, 100),
      data: Buffer.from(data),
    });
    pax = {};
    longName = null;
    longLink = null;
  }
  return entries;
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, "0") + "\0";
}

function header(name: string, type: string, size: number, mode: number, mtime: number, linkname: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, "utf8");
  h.write(octal(mode & 0o7777, 8), 100, "ascii");
  h.write(octal(0, 8), 108, "ascii");
  h.write(octal(0, 8), 116, "ascii");
  h.write(octal(size, 12), 124, "ascii");
  h.write(octal(Math.max(0, Math.floor(mtime)), 12), 136, "ascii");
  h.write(type, 156, 1, "ascii");
  h.write(linkname, 157, 100, "utf8");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "ascii");
  return h;
}

function padded(data: Buffer): Buffer {
  const rest = data.length % BLOCK;
  return rest ? Buffer.concat([data, Buffer.alloc(BLOCK - rest)]) : data;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

const fits = (s: string) => Buffer.byteLength(s) <= 100 && /^[\x20-\x7e]*$/.test(s);

/** One entry as tar blocks; a long or non-ASCII name or link target gets a PAX header first. */
export function tarEntry(e: Partial<TarEntry> & { name: string }): Buffer {
  const data = e.data ?? Buffer.alloc(0);
  const type = e.type ?? "0";
  const name = type === "5" && !e.name.endsWith("/") ? `${e.name}/` : e.name;
  const mode = e.mode ?? (type === "5" ? 0o755 : 0o644);
  const mtime = e.mtime ?? Math.floor(Date.now() / 1000);
  const linkname = e.linkname ?? "";
  const size = type === "0" ? data.length : 0;
  const parts: Buffer[] = [];
  if (!fits(name) || !fits(linkname)) {
    const records = Buffer.from((fits(name) ? "" : paxRecord("path", name)) + (fits(linkname) ? "" : paxRecord("linkpath", linkname)), "utf8");
    parts.push(header("PaxHeader", "x", records.length, 0o644, mtime, ""), padded(records));
  }
  parts.push(header(fits(name) ? name : name.slice(-90).replace(/[^\x20-\x7e]/g, "_"), type, size, mode, mtime, fits(linkname) ? linkname : ""));
  if (size) parts.push(padded(data));
  return Buffer.concat(parts);
}

/** The two zero blocks that end an archive. */
export function tarEnd(): Buffer {
  return Buffer.alloc(2 * BLOCK);
}
