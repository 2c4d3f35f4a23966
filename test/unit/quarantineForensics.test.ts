import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bundlePath, changeCounts, demuxLogs, pathsToCopy, redactEnv, redactValues, REDACTED } from "@/server/quarantine/forensicsFormat";
import { parsePax, readTar, tarEnd, tarEntry } from "@/server/quarantine/tarArchive";

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
    expect(redactValues("connecting with hunter22 to db (hunter22)", ["hunter22", "abc"])).toBe(`connecting with ${REDACTED} to db (${REDACTED})`);
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
  const archive = Buffer.concat([
    tarEntry({ name: "manifest.json", data: Buffer.from('{"ok":true}'), mtime: 1_700_000_000 }),
    tarEntry({ name: "files/www", type: "5", mode: 0o755 }),
    tarEntry({ name: long, data: Buffer.from("x".repeat(1000)) }),
    tarEntry({ name: "files/link", type: "2", linkname: "/www/debug.txt" }),
    tarEnd(),
  ]);

  it("round-trips entries, long names through PAX headers", () => {
    const entries = readTar(archive);
    expect(entries.map((e) => [e.name, e.type, e.data.length])).toEqual([
      ["manifest.json", "0", 11],
      ["files/www/", "5", 0],
      [long, "0", 1000],
      ["files/link", "2", 0],
    ]);
    expect(entries[0]!.mtime).toBe(1_700_000_000);
    expect(entries[1]!.mode).toBe(0o755);
    expect(entries[3]!.linkname).toBe("/www/debug.txt");
    expect(parsePax(Buffer.from("29 path=files/some/long/name\n20 mtime=1700000000\n"))).toEqual({ path: "files/some/long/name", mtime: "1700000000" });
  });

  it("writes archives GNU tar reads, and reads what GNU tar writes (pax and gnu formats)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-tar-"));
    try {
      fs.writeFileSync(path.join(dir, "mine.tar"), archive);
      const listed = execFileSync("tar", ["-tf", path.join(dir, "mine.tar")], { encoding: "utf8" }).trim().split("\n");
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
        const entries = readTar(fs.readFileSync(file));
        const note = entries.find((e) => e.name.endsWith("notes.txt"));
        expect(note?.name, format).toBe(`${Array(25).fill("nested").join("/")}/notes.txt`);
        expect(note?.data.toString()).toBe("debug notes\n");
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
