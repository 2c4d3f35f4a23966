import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bundleSteps, sumsEntries } from "@/server/quarantine/bundleRecord";
import { fitBytes, FrameSplitter, OutputRecorder } from "@/server/quarantine/consoleOutput";
import { REDACTED } from "@/server/quarantine/forensicsFormat";
import {
  decideIsolation,
  HOST_NETWORK_WHY,
  isolationNote,
  isolationPlan,
  networksToRestore,
  reconnectConfig,
  type NetworkIsolation,
} from "@/server/quarantine/networkIsolation";
import { ConsoleInput } from "@/server/quarantine/quarantineInput";
import { buildSha256Sums, sha256Hex, sha256SumsLine } from "@/server/quarantine/sha256Sums";
import type { TarEntry } from "@/server/quarantine/tarArchive";
import { entryCommand, entryOutcome, quoteArgv, transcriptText, type TranscriptEntry } from "@/server/quarantine/transcriptFormat";

const b = (s: string) => Buffer.from(s, "utf8");

describe("console output recorder", () => {
  it("streams whole lines, marks stderr lines, and keeps what it streamed", () => {
    const r = new OutputRecorder(1024, []);
    expect(r.write("stdout", b("hel"))).toEqual([]);
    expect(r.write("stdout", b("lo\nwor"))).toEqual([{ stream: "stdout", text: "hello\n" }]);
    expect(r.write("stderr", b("oops\ntwo\n"))).toEqual([{ stream: "stderr", text: "[stderr] oops\n[stderr] two\n" }]);
    expect(r.write("stdout", b("ld"))).toEqual([]);
    expect(r.end()).toEqual([{ stream: "stdout", text: "world" }]);
    expect(r.output).toBe("hello\n[stderr] oops\n[stderr] two\nworld");
    expect(r.totalBytes).toBe(3 + 6 + 9 + 2);
    expect(r.truncated).toBe(false);
  });

  it("masks a secret value even when the engine splits it across chunks", () => {
    const r = new OutputRecorder(1024, ["s3cret-value"]);
    const streamed = [...r.write("stdout", b("API_KEY=s3cr")), ...r.write("stdout", b("et-value\nnext\n")), ...r.end()];
    expect(streamed.map((p) => p.text).join("")).toBe(`API_KEY=${REDACTED}\nnext\n`);
    expect(r.output).not.toContain("s3cret");
  });

  it("keeps a multi-byte character whole when a chunk ends in its middle", () => {
    const r = new OutputRecorder(1024, []);
    const euro = b("€\n");
    r.write("stdout", euro.subarray(0, 1));
    r.write("stdout", euro.subarray(1));
    expect(r.output).toBe("€\n");
  });

  it("stops keeping and streaming at the cap, counts every byte, and never cuts a character", () => {
    const r = new OutputRecorder(10, []);
    const first = r.write("stdout", b("12345678€€\n"));
    expect(first).toEqual([{ stream: "stdout", text: "12345678" }]);
    expect(r.truncated).toBe(true);
    expect(r.write("stdout", b("more\n"))).toEqual([]);
    expect(r.end()).toEqual([]);
    expect(r.output).toBe("12345678");
    expect(r.totalBytes).toBe(15 + 5);
  });

  it("lets a line longer than 4 KiB out without its newline", () => {
    const r = new OutputRecorder(1 << 20, []);
    expect(r.write("stdout", b("x".repeat(5000)))).toEqual([{ stream: "stdout", text: "x".repeat(5000) }]);
  });

  it("splits an exec's multiplexed stream into frames in order, across chunk boundaries", () => {
    const frame = (kind: number, text: string) => {
      const h = Buffer.alloc(8);
      h[0] = kind;
      h.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([h, b(text)]);
    };
    const all = Buffer.concat([frame(1, "out-1\n"), frame(2, "err\n"), frame(1, "out-2\n"), frame(0, "stdin?")]);
    const s = new FrameSplitter();
    const got = [...s.push(all.subarray(0, 5)), ...s.push(all.subarray(5, 17)), ...s.push(all.subarray(17))];
    expect(got.map((f) => [f.stream, f.data.toString()])).toEqual([
      ["stdout", "out-1\n"],
      ["stderr", "err\n"],
      ["stdout", "out-2\n"],
    ]);
  });

  it("fitBytes backs off to a character boundary", () => {
    expect(fitBytes("a€b", 2)).toBe("a");
    expect(fitBytes("a€b", 4)).toBe("a€");
    expect(fitBytes("abc", 0)).toBe("");
  });
});

const entry = (over: Partial<TranscriptEntry>): TranscriptEntry => ({
  id: 1,
  by: "ops",
  startedAt: Date.UTC(2026, 11, 2, 10, 0, 0),
  argv: ["sh", "-c", "echo hi"],
  shellLine: "echo hi",
  exitCode: 0,
  durationMs: 42,
  output: "hi\n",
  outputBytes: 3,
  truncated: false,
  timedOut: false,
  error: null,
  ...over,
});

describe("transcript text", () => {
  it("says who, when, the command as typed, the exit code and duration, and the output", () => {
    expect(transcriptText([entry({})])).toBe(
      '#1 2026-12-02T10:00:00.000Z by ops: exit 0 in 42 ms\n$ echo hi\nargv: ["sh","-c","echo hi"]\nhi\n',
    );
    expect(transcriptText([])).toBe("No command was run in the debug console.\n");
  });

  it("says when output was cut at the cap, a command was cut off, failed to start, or never finished", () => {
    const capped = transcriptText([entry({ output: "12345", outputBytes: 90_000, truncated: true })]);
    expect(capped).toContain("[output cut at the cap: 5 of 90000 bytes kept]");
    expect(entryOutcome(entry({ timedOut: true, exitCode: null, durationMs: 30_000 }))).toBe(
      "cut off at the time limit after 30.0 s (it may still run in the container: it could not be stopped)",
    );
    expect(entryOutcome(entry({ timedOut: true, exitCode: 137, durationMs: 30_200 }))).toBe(
      "cut off at the time limit after 30.2 s and stopped (exit 137)",
    );
    expect(entryOutcome(entry({ error: "no such file", exitCode: null }))).toBe("failed after 42 ms: no such file");
    expect(entryOutcome(entry({ exitCode: null, durationMs: null }))).toBe("did not finish (the dashboard stopped while it ran)");
    expect(entryOutcome(entry({ exitCode: 3, durationMs: 1500 }))).toBe("exit 3 in 1.5 s");
  });

  it("quotes argv the way a shell reads it back", () => {
    expect(quoteArgv(["cat", "/etc/os-release"])).toBe("cat /etc/os-release");
    expect(quoteArgv(["sh", "-c", "echo it's $HOME"])).toBe("sh -c 'echo it'\\''s $HOME'");
    expect(entryCommand({ argv: ["ls", "-la", "a b"], shellLine: null })).toBe("# ls -la 'a b'");
  });
});

describe("console input", () => {
  it("takes argv or a shell line, never both or neither, and bounds the time limit", () => {
    expect(ConsoleInput.parse({ argv: ["ps"] })).toEqual({ argv: ["ps"] });
    expect(ConsoleInput.parse({ shell: " ls /tmp ", timeoutS: 5 })).toEqual({ shell: "ls /tmp", timeoutS: 5 });
    const problem = (v: unknown) => ConsoleInput.safeParse(v).error?.issues[0]?.message;
    expect(problem({ argv: ["ps"], shell: "ps" })).toMatch(/either argv .* or shell/);
    expect(problem({})).toMatch(/either argv .* or shell/);
    expect(problem({ argv: [] })).toMatch(/at least the program/);
    expect(problem({ argv: [" "] })).toMatch(/argv\[0\]\) may not be empty/);
    expect(problem({ shell: "a\0b" })).toMatch(/NUL/);
    expect(problem({ shell: "ps", timeoutS: 301 })).toMatch(/at most 300 seconds/);
    expect(problem({ shell: "ps", tty: true })).toBeTruthy();
  });
});

describe("SHA256SUMS", () => {
  it("writes sha256sum's line format, escaping backslash, newline and carriage return", () => {
    const h = sha256Hex("x");
    expect(sha256SumsLine("a/b.txt", b("x"))).toBe(`${h}  a/b.txt\n`);
    expect(sha256SumsLine("a\nb", b("x"))).toBe(`\\${h}  a\\nb\n`);
    expect(sha256SumsLine("a\\b\r", b("x"))).toBe(`\\${h}  a\\\\b\\r\n`);
  });

  it("passes the real `sha256sum -c` on the files it lists, and fails it when one changes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sha256sums-"));
    try {
      const files = [
        { name: "manifest.json", data: b('{"a":1}') },
        { name: "files/www/odd name ü.txt", data: b("hello") },
        { name: "files/tmp/new\nline", data: b("n") },
        { name: "files/tmp/back\\slash", data: b("s") },
        { name: "files/empty", data: Buffer.alloc(0) },
      ];
      for (const f of files) {
        fs.mkdirSync(path.join(dir, path.dirname(f.name)), { recursive: true });
        fs.writeFileSync(path.join(dir, f.name), f.data);
      }
      fs.writeFileSync(path.join(dir, "SHA256SUMS"), buildSha256Sums(files));
      const out = execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: dir, encoding: "utf8" });
      expect(out.trim().split("\n")).toHaveLength(files.length);
      fs.writeFileSync(path.join(dir, "files/empty"), "tampered");
      expect(() => execFileSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: dir, stdio: "pipe" })).toThrow(
        /1 computed checksum did NOT match/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("covers regular files and hard links, not directories or symlinks; the last entry of a name wins", () => {
    const e = (name: string, type: TarEntry["type"], data = "", linkname = ""): TarEntry => ({
      name,
      type,
      mode: 0o644,
      mtime: 0,
      linkname,
      uid: 0,
      gid: 0,
      data: b(data),
    });
    const listed = sumsEntries([
      e("files/etc", "directory"),
      e("files/etc/a", "file", "one"),
      e("files/etc/hard", "link", "", "files/etc/a"),
      e("files/etc/passwd-link", "symlink", "", "/etc/passwd"),
      e("files/etc/b", "file", "old"),
      e("files/etc/b", "file", "new"),
      e("files/etc/c", "file", "x"),
      e("files/etc/c", "symlink", "", "/etc/shadow"),
    ]);
    expect(listed.map((f) => [f.name, f.data.toString()])).toEqual([
      ["files/etc/a", "one"],
      ["files/etc/hard", "one"],
      ["files/etc/b", "new"],
    ]);
  });
});

describe("network isolation", () => {
  it("never cuts off a host-network container, and says why", () => {
    const plan = isolationPlan("host", { host: { NetworkID: "abc" } });
    expect(plan).toEqual({ kind: "not-possible", why: HOST_NETWORK_WHY });
    expect(decideIsolation(true, plan)).toEqual({ outcome: "not-possible", why: HOST_NETWORK_WHY, disconnect: [] });
    expect(decideIsolation(false, plan).outcome).toBe("not-requested");
  });

  it("has nothing to cut for `none`, refuses a shared network namespace", () => {
    expect(isolationPlan("none", { none: {} }).kind).toBe("nothing-to-cut");
    expect(isolationPlan("bridge", {}).kind).toBe("nothing-to-cut");
    const shared = isolationPlan("container:abc123", {});
    expect(shared.kind).toBe("not-possible");
    expect(shared.kind === "not-possible" && shared.why).toMatch(/would cut that container off too/);
  });

  it("disconnects every network of a bridge-mode container only when asked, saving what restores it", () => {
    const plan = isolationPlan("bridge", {
      bridge: { NetworkID: "n1", Aliases: null, IPAMConfig: null },
      backend: { NetworkID: "n2", Aliases: ["api", "api.internal"], IPAMConfig: { IPv4Address: "10.9.0.5" }, Links: ["db:db"] },
    });
    expect(plan.kind).toBe("disconnect");
    const asked = decideIsolation(true, plan);
    expect(asked.outcome).toBe("cut-off");
    expect(asked.disconnect.map((n) => n.id)).toEqual(["n1", "n2"]);
    expect(decideIsolation(false, plan)).toEqual({ outcome: "not-requested", why: null, disconnect: [] });
    expect(reconnectConfig(asked.disconnect[0]!)).toEqual({});
    expect(reconnectConfig(asked.disconnect[1]!)).toEqual({
      IPAMConfig: { IPv4Address: "10.9.0.5" },
      Aliases: ["api", "api.internal"],
      Links: ["db:db"],
    });
    const record: NetworkIsolation = {
      mode: "bridge",
      requested: true,
      outcome: "cut-off",
      why: null,
      networks: asked.disconnect,
      by: "ops",
      at: "2026-12-02T10:00:00.000Z",
    };
    expect(networksToRestore(record).map((n) => n.name)).toEqual(["bridge", "backend"]);
    expect(networksToRestore({ ...record, outcome: "restored" })).toEqual([]); // restored once
    expect(networksToRestore(null)).toEqual([]);
    expect(isolationNote(record)).toBe("cut off from bridge, backend by ops; reconnected if self-destruct is cancelled");
    expect(isolationNote({ ...record, mode: "host", outcome: "not-requested", why: HOST_NETWORK_WHY, networks: [] })).toMatch(
      /^host network — could not be cut off anyway: it uses the host's network/,
    );
  });
});

describe("steps.json", () => {
  it("lists who did what when, oldest first, ending with the bundle", () => {
    const at = (m: number) => new Date(Date.UTC(2026, 11, 2, 10, m));
    const steps = bundleSteps(
      {
        reason: "leak",
        quarantinedBy: "ana",
        quarantinedAt: at(0),
        warnedAt: null,
        cancelledAt: at(30),
        cancelledBy: "root",
        cancelReason: "keep it",
        processesAtQuarantine: JSON.stringify({ capturedAt: at(0).toISOString(), by: "ana", processes: [["1"], ["2"]], error: null }),
      },
      [{ by: "bo", at: at(10), addedS: 3600, newDeadline: at(120) }],
      [entry({ id: 7, by: "cy", startedAt: at(20).getTime() })],
      null,
      { by: "timer", at: at(40).toISOString() },
    );
    expect(steps.map((s) => `${s.by}: ${s.step}`)).toEqual([
      "ana: quarantined",
      "ana: process list taken (docker top, at quarantine)",
      "bo: deadline extended",
      "cy: debug console #7",
      "root: self-destruct cancelled",
      "timer: forensic bundle built (at destroy time)",
    ]);
    expect(steps[1]!.detail).toBe("2 process(es)");
    expect(steps[3]!.detail).toBe("$ echo hi — exit 0 in 42 ms");
  });
});
