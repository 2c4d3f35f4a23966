import { sqliteTable, text, integer } from "drizzle-orm/sqlite-core";

/**
 * A Docker engine. TLS material and SSH keys live only here and are never
 * serialised to the browser (see server/hosts/hostView.ts).
 */
export const hosts = sqliteTable("hosts", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  url: text("url").notNull(),
  tlsCa: text("tls_ca"),
  tlsCert: text("tls_cert"),
  tlsKey: text("tls_key"),
  sshKey: text("ssh_key"),
  /** The SSH host key every ssh:// connection must present: "SHA256:<base64 without padding>". */
  hostKeyFingerprint: text("host_key_fingerprint"),
  /** An admin allowed plain tcp:// (no TLS) to a non-loopback address; the hosts page shows it. */
  insecure: integer("insecure", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }),
  lastError: text("last_error"),
  lastErrorAt: integer("last_error_at", { mode: "timestamp_ms" }),
});
