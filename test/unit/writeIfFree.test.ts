/** Bookkeeping writes skip a locked database at once instead of stalling the (synchronous) process for the busy timeout. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-write-if-free-"));
process.env.SWITCHYARD_DATA_DIR = dir;
const { db, writeIfFree } = await import("@/db/client");
const { hosts } = await import("@/db/schema");

describe("writeIfFree", () => {
  it("writes when the database is free; returns false within milliseconds while another writer holds it; keeps the busy timeout", () => {
    db().insert(hosts).values({ name: "h", url: "unix:///x", createdAt: new Date(), updatedAt: new Date() }).run();
    expect(writeIfFree((tx) => void tx.update(hosts).set({ lastError: "one" }).run())).toBe(true);
    const other = new Database(path.join(dir, "switchyard.db"));
    other.prepare("BEGIN IMMEDIATE").run();
    try {
      const started = Date.now();
      expect(writeIfFree((tx) => void tx.update(hosts).set({ lastError: "two" }).run())).toBe(false);
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      other.prepare("ROLLBACK").run();
      other.close();
    }
    expect(db().$client.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(db().select().from(hosts).get()?.lastError).toBe("one");
  });
});
