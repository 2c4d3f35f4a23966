/**
 * Migration 0001 (host key fingerprint, insecure flag) applies on top of a
 * database that 0000_init already made and that holds hosts: it adds the columns
 * and marks the plain tcp:// hosts to non-loopback addresses as insecure, so they
 * keep working and show their badge.
 */
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const MIGRATIONS = path.resolve(__dirname, "../../db/migrations");

/** A copy of the migrations folder whose journal stops after entry `last`. */
function migrationsUpTo(last: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-migrations-"));
  fs.cpSync(MIGRATIONS, dir, { recursive: true });
  const journalFile = path.join(dir, "meta/_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((e) => e.idx <= last);
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

describe("migration 0001_hosts_security on an existing database", () => {
  it("adds the columns and grandfathers plain remote tcp hosts as insecure", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-mig-")), "old.db");
    const sqlite = new Database(file);
    const db = drizzle(sqlite);
    migrate(db, { migrationsFolder: migrationsUpTo(0) });
    const insert = sqlite.prepare("insert into hosts (name, url, tls_ca, tls_cert, created_at, updated_at) values (?, ?, ?, ?, 0, 0)");
    insert.run("remote-plain", "tcp://10.0.0.5:2375", null, null);
    insert.run("remote-tls", "tcp://10.0.0.6:2376", "-----BEGIN CERTIFICATE-----", null);
    insert.run("loopback", "tcp://127.0.0.1:2375", null, null);
    insert.run("local-name", "tcp://localhost:2375", null, null);
    insert.run("socket", "unix:///var/run/docker.sock", null, null);
    insert.run("over-ssh", "ssh://root@10.0.0.7", null, null);

    migrate(db, { migrationsFolder: MIGRATIONS });
    const rows = sqlite.prepare("select name, insecure, host_key_fingerprint as fp from hosts order by name").all() as {
      name: string;
      insecure: number;
      fp: string | null;
    }[];
    expect(Object.fromEntries(rows.map((r) => [r.name, r.insecure]))).toEqual({
      "remote-plain": 1,
      "remote-tls": 0,
      loopback: 0,
      "local-name": 0,
      socket: 0,
      "over-ssh": 0,
    });
    // An ssh host from before has no pinned key: every connection is refused until an admin confirms one.
    expect(rows.every((r) => r.fp === null)).toBe(true);
    // Applying again changes nothing.
    migrate(db, { migrationsFolder: MIGRATIONS });
    expect((sqlite.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number }).n).toBe(
      fs.readdirSync(MIGRATIONS).filter((f) => f.endsWith(".sql")).length,
    );
    sqlite.close();
  });
});
