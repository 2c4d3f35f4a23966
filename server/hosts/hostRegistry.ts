import "server-only";
import { asc, eq } from "drizzle-orm";
import type Docker from "dockerode";
import { db } from "@/db/client";
import { hosts } from "@/db/schema";
import { config } from "@/server/config";
import { notFound } from "@/server/errors";
import { dockerFor } from "./dockerClient";

export type HostRow = typeof hosts.$inferSelect;

export function listHostRows(): HostRow[] {
  return db().select().from(hosts).orderBy(asc(hosts.name)).all();
}

export function hostRow(id: number): HostRow {
  const row = db().select().from(hosts).where(eq(hosts.id, id)).get();
  if (!row) throw notFound(`Host ${id}`);
  return row;
}

export function hostRowByName(name: string): HostRow {
  const row = db().select().from(hosts).where(eq(hosts.name, name)).get();
  if (!row) throw notFound(`Host '${name}'`);
  return row;
}

/** The dockerode client for a host, with the configured request timeout (or a longer one for pulls). */
export function dockerForHost(host: HostRow, timeoutMs = config().SWITCHYARD_HOST_TIMEOUT_MS): Docker {
  return dockerFor(host, timeoutMs);
}
