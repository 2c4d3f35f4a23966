import "server-only";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import fs from "node:fs";
import path from "node:path";
import * as schema from "./schema";
import { config } from "@/server/config";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** A transaction (or the database itself): what *Rows functions take when they write as part of a larger change. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0] | Db;

const globalForDb = globalThis as unknown as { switchyardDb?: Db };

export function dataDir(): string {
  return path.resolve(config().SWITCHYARD_DATA_DIR);
}

/** Opens the database file (WAL, busy timeout, foreign keys) and applies committed migrations. */
export function openDb(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: path.resolve(process.cwd(), "db/migrations") });
  return db as Db;
}

/** The process-wide database, cached on globalThis so dev reloads reuse one connection. */
export function db(): Db {
  if (!globalForDb.switchyardDb) {
    globalForDb.switchyardDb = openDb(path.join(dataDir(), "switchyard.db"));
  }
  return globalForDb.switchyardDb;
}

/**
 * Runs a bookkeeping write only if the database is free right now: better-sqlite3
 * is synchronous, so waiting out another writer's lock (the busy timeout, 5 s)
 * would stall every request of this process, reads included. A skipped write
 * is retried by the sampler's next turn. True when it ran.
 */
export function writeIfFree(write: (tx: Tx) => void): boolean {
  const client = db().$client;
  const previous = client.pragma("busy_timeout", { simple: true }) as number;
  client.pragma("busy_timeout = 0");
  try {
    write(db());
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === "SQLITE_BUSY") return false;
    throw err;
  } finally {
    client.pragma(`busy_timeout = ${previous}`);
  }
}
