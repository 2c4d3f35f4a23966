import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  bundleEntries,
  bundlePath,
  changeCounts,
  demuxLogs,
  pathsToCopy,
  redactEnv,
  redactValues,
  REDACTED,
} from "@/server/quarantine/forensicsFormat";
import { pack as tarPack, type EntryType } from "tar-stream";
import { readTar, writeTar } from "@/server/quarantine/tarArchive";

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(payload.length, 4);
  return Buffer.concat([h, payload]);
}

describe("logs", () => {
  it("demultiplexes stdout and stderr frames, marking stderr lines", () => {
    const buf = Buffer.concat([frame(1, "GET / 200\n"), frame(2, "boom\nagain\n"), frame(1, "GET /health 200\n")]);
    expect(demuxLogs(buf)).toBe("GET / 200\n[stderr] boom\n[stderr] again\nGET /health 200\n");
  });
  it("returns a TTY (raw) stream as it is", () => {
    expect(demuxLogs(Buffer.from("plain text from a tty\n"))).toBe("plain text from a tty\n");
    expect(demuxLogs(Buffer.alloc(0))).toBe("");
  });
});

describe("secrets", () => {
  it("masks the values of env names the release marks secret, and those values anywhere in text", () => {
    expect(redactEnv(["PORT=8000", "DB_PASSWORD=hunter22", "GREETING=hi", "FLAG"], new Set(["DB_PASSWORD", "FLAG"]))).toEqual([
      "PORT=8000",
      `DB_PASSWORD=${REDACTED}`,
      "GREETING=hi",
      `FLAG=${REDACTED}`,
    ]);
    expect(redactEnv(null, new Set())).toEqual([]);
    expect(redactValues("connecting with hunter22 to db (hunter22)", ["hunter22", "abc"])).toBe(
      `connecting with ${REDACTED} to db (${REDACTED})`,
    );
  });
});

describe("changed paths", () => {
  const changes = [
    { Path: "/www", Kind: 0 },
    { Path: "/www/debug.txt", Kind: 1 },
    { Path: "/tmp", Kind: 0 },
    { Path: "/tmp/dump", Kind: 1 },
    { Path: "/tmp/dump/core.1", Kind: 1 },
    { Path: "/etc/passwd", Kind: 0 },
    { Path: "/www/index.html", Kind: 2 },
    { Path: "/var/empty-dir", Kind: 1 },
  ];
  it("copies added and modified leaves, not deleted files nor parents listed for their children", () => {
    expect(pathsToCopy(changes)).toEqual(["/etc/passwd", "/tmp/dump/core.1", "/var/empty-dir", "/www/debug.txt"]);
    expect(pathsToCopy(null)).toEqual([]);
  });
  it("counts the drift", () => {
    expect(changeCounts(changes)).toEqual({ added: 4, modified: 3, deleted: 1, total: 8 });
  });
  it("keeps the container's layout under files/", () => {
    expect(bundlePath("/www/debug.txt", "debug.txt")).toBe("files/www/debug.txt");
    expect(bundlePath("/tmp/dump", "dump/core.1")).toBe("files/tmp/dump/core.1");
    expect(bundlePath("/x", "x")).toBe("files/x");
  });
});

describe("tar", () => {
  const long = `files/${"deep/".repeat(30)}file-with-a-long-name.txt`;
  const archive = writeTar([
    { name: "manifest.json", data: Buffer.from('{"ok":true}'), mtime: 1_700_000_000 },
    { name: "files/www", type: "directory", mode: 0o755 },
    { name: long, data: Buffer.from("x".repeat(1000)) },
    { name: "files/link", type: "symlink", linkname: "/www/debug.txt" },
  ]);

  it("round-trips entries, long names through PAX headers", async () => {
    const entries = await readTar(await archive);
    expect(entries.map((e) => [e.name, e.type, e.data.length])).toEqual([
      ["manifest.json", "file", 11],
      ["files/www/", "directory", 0],
      [long, "file", 1000],
      ["files/link", "symlink", 0],
    ]);
    expect(entries[0]!.mtime).toBe(1_700_000_000);
    expect(entries[1]!.mode).toBe(0o755);
    expect(entries[3]!.linkname).toBe("/www/debug.txt");
    const unicode = await readTar(
      await writeTar([{ name: `files/caf\u00e9-${"n".repeat(120)}`, type: "symlink", linkname: `/${"t".repeat(150)}` }]),
    );
    expect(unicode.map((e) => [e.name, e.linkname])).toEqual([[`files/caf\u00e9-${"n".repeat(120)}`, `/${"t".repeat(150)}`]]);
  });

  it("writes archives GNU tar reads, and reads what GNU tar writes (pax and gnu formats)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-tar-"));
    try {
      fs.writeFileSync(path.join(dir, "mine.tar"), await archive);
      const listed = execFileSync("tar", ["-tf", path.join(dir, "mine.tar")], { encoding: "utf8" })
        .trim()
        .split("\n");
      expect(listed).toEqual(["manifest.json", "files/www/", long, "files/link"]);
      const out = path.join(dir, "out");
      fs.mkdirSync(out);
      execFileSync("tar", ["-xf", path.join(dir, "mine.tar"), "-C", out]);
      expect(fs.readFileSync(path.join(out, long), "utf8")).toBe("x".repeat(1000));

      const src = path.join(dir, "src", ...Array(25).fill("nested"));
      fs.mkdirSync(src, { recursive: true });
      fs.writeFileSync(path.join(src, "notes.txt"), "debug notes\n");
      for (const format of ["pax", "gnu"]) {
        const file = path.join(dir, `${format}.tar`);
        execFileSync("tar", [`--format=${format}`, "-cf", file, "-C", path.join(dir, "src"), "nested"]);
        const entries = await readTar(fs.readFileSync(file));
        const note = entries.find((e) => e.name.endsWith("notes.txt"));
        expect(note?.name, format).toBe(`${Array(25).fill("nested").join("/")}/notes.txt`);
        expect(note?.data.toString()).toBe("debug notes\n");
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** An archive built with tar-stream directly (not through writeTar), as an engine would send it. */
function packByHand(
  entries: { name: string; type?: EntryType; mode?: number; uid?: number; gid?: number; linkname?: string; data?: Buffer }[],
): Promise<Buffer> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  pack.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => pack.on("end", () => resolve(Buffer.concat(chunks))));
  for (const { data, ...header } of entries) pack.entry({ type: "file", mode: 0o644, ...header }, data ?? Buffer.alloc(0));
  pack.finalize();
  return done;
}

describe("re-packing the engine's archive into the bundle", () => {
  /** What GET /containers/{id}/archive?path=/usr/local answers: entries named under `local/`. */
  const engineArchive = () =>
    packByHand([
      { name: "local/", type: "directory", mode: 0o755 },
      { name: "local/bin/su-helper", data: Buffer.from("#!/bin/sh\n"), mode: 0o4755, uid: 0, gid: 0 },
      { name: "local/bin/group-tool", data: Buffer.from("x"), mode: 0o2711, uid: 0, gid: 42 },
      { name: "local/drop", type: "directory", mode: 0o1777 },
      { name: "local/bin/su-copy", type: "link", linkname: "local/bin/su-helper", mode: 0o4755 },
      { name: "local/shadow-link", type: "symlink", linkname: "/etc/shadow", mode: 0o777 },
      { name: "local/up", type: "symlink", linkname: "../../etc", mode: 0o777 },
      { name: "local/up/passwd", data: Buffer.from("root::0:0::/:/bin/sh\n") },
      { name: "local/../../escape", data: Buffer.from("no") },
      { name: "local/bad-link", type: "link", linkname: "../../etc/passwd" },
    ]);

  it("strips setuid, setgid and sticky bits and the owner, and lists the originals for the manifest", async () => {
    const { entries, specialModes } = bundleEntries("/usr/local", await readTar(await engineArchive()), new Set());
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(byName.get("files/usr/local/bin/su-helper")).toMatchObject({ mode: 0o755, uid: 0, gid: 0 });
    expect(byName.get("files/usr/local/bin/group-tool")).toMatchObject({ mode: 0o711, uid: 0, gid: 0 });
    expect(byName.get("files/usr/local/drop")?.mode).toBe(0o777);
    expect(specialModes).toEqual([
      { path: "files/usr/local/bin/su-helper", mode: "4755", uid: 0, gid: 0 },
      { path: "files/usr/local/bin/group-tool", mode: "2711", uid: 0, gid: 42 },
      { path: "files/usr/local/drop", mode: "1777", uid: 0, gid: 0 },
      { path: "files/usr/local/bin/su-copy", mode: "4755", uid: 0, gid: 0 },
    ]);
    const again = await readTar(await writeTar(entries));
    expect(again.find((e) => e.name === "files/usr/local/bin/su-helper")?.mode).toBe(0o755);
    expect(again.find((e) => e.name === "files/usr/local/bin/group-tool")).toMatchObject({ mode: 0o711, gid: 0 });
    expect(again.find((e) => e.name === "files/usr/local/drop/")?.mode).toBe(0o777);
    expect(again.every((e) => (e.mode & 0o7000) === 0 && e.uid === 0 && e.gid === 0)).toBe(true);
  });

  it("writes no special bits or owners even when handed them", async () => {
    const again = await readTar(await writeTar([{ name: "f", mode: 0o6755, uid: 1000, gid: 1000, data: Buffer.from("x") }]));
    expect(again[0]).toMatchObject({ mode: 0o755, uid: 0, gid: 0 });
  });

  it("rewrites a hard link's target under files/ like the names, and keeps it a link", async () => {
    const { entries } = bundleEntries("/usr/local", await readTar(await engineArchive()), new Set());
    expect(entries.find((e) => e.name === "files/usr/local/bin/su-copy")).toMatchObject({
      type: "link",
      linkname: "files/usr/local/bin/su-helper",
      mode: 0o755,
    });
  });

  it("refuses a hard link whose target goes through a bundled symlink (this copy's or an earlier one's)", async () => {
    const symlinks = new Set<string>();
    const archive = await packByHand([
      { name: "local/", type: "directory", mode: 0o755 },
      { name: "local/etc", type: "symlink", linkname: "/etc", mode: 0o777 },
      { name: "local/pw", type: "link", linkname: "local/etc/shadow" },
      { name: "local/ok", type: "link", linkname: "local/etc" },
    ]);
    const { entries, refused } = bundleEntries("/usr/local", await readTar(archive), symlinks);
    expect(refused).toEqual(["local/pw"]);
    expect(entries.map((e) => e.name)).toEqual(["files/usr/local", "files/usr/local/etc", "files/usr/local/ok"]);
    const later = bundleEntries(
      "/usr/other",
      [{ name: "other/pw", type: "link", mode: 0o644, mtime: 0, linkname: "local/etc/passwd", uid: 0, gid: 0, data: Buffer.alloc(0) }],
      new Set(["files/usr/local/etc"]),
    );
    expect(later.refused).toEqual(["other/pw"]);
  });

  it("records a symlink as a symlink to the container's own target: not followed, not resolved, nothing written through it", async () => {
    const symlinks = new Set<string>();
    const { entries, refused } = bundleEntries("/usr/local", await readTar(await engineArchive()), symlinks);
    expect(entries.find((e) => e.name === "files/usr/local/shadow-link")).toMatchObject({
      type: "symlink",
      linkname: "/etc/shadow",
      data: Buffer.alloc(0),
    });
    expect(entries.find((e) => e.name === "files/usr/local/up")).toMatchObject({ type: "symlink", linkname: "../../etc" });
    expect(refused).toEqual(["local/up/passwd", "local/../../escape", "local/bad-link"]);
    // A later copy cannot write under a link an earlier copy recorded either.
    const later = bundleEntries(
      "/usr/local/up/x",
      [{ name: "x", type: "file", mode: 0o644, mtime: 0, linkname: "", uid: 0, gid: 0, data: Buffer.from("y") }],
      symlinks,
    );
    expect(later).toEqual({ entries: [], refused: ["x"], specialModes: [] });

    // Extracted with GNU tar, the bundle holds the links themselves and nothing outside it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-bundle-"));
    try {
      fs.writeFileSync(path.join(dir, "bundle.tar"), await writeTar(entries));
      const out = path.join(dir, "out");
      fs.mkdirSync(out);
      execFileSync("tar", ["-xf", path.join(dir, "bundle.tar"), "-C", out]);
      expect(fs.readlinkSync(path.join(out, "files/usr/local/shadow-link"))).toBe("/etc/shadow");
      expect(fs.lstatSync(path.join(out, "files/usr/local/up")).isSymbolicLink()).toBe(true);
      expect(fs.statSync(path.join(out, "files/usr/local/bin/su-copy")).ino).toBe(
        fs.statSync(path.join(out, "files/usr/local/bin/su-helper")).ino,
      );
      expect(fs.existsSync(path.join(dir, "escape"))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
