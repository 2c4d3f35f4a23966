import "server-only";
import { asc, eq } from "drizzle-orm";
import { db, type Db } from "@/db/client";
import { services } from "@/db/schema";
import { notFound } from "@/server/errors";
import { ServiceSpec } from "./serviceSpecInput";

export type ServiceRow = typeof services.$inferSelect;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export function serviceByName(name: string): ServiceRow {
  const row = db().select().from(services).where(eq(services.name, name)).get();
  if (!row) throw notFound(`Service '${name}'`);
  return row;
}

export function listServiceRows(): ServiceRow[] {
  return db().select().from(services).orderBy(asc(services.name)).all();
}

export function specOf(row: { spec: string }): ServiceSpec {
  return ServiceSpec.parse(JSON.parse(row.spec));
}

/** Inside a transaction: the service by name, or undefined. */
export function serviceRowIn(tx: Tx, name: string): ServiceRow | undefined {
  return tx.select().from(services).where(eq(services.name, name)).get();
}

/** Inside a transaction: every service with its spec (for the backend-ownership check). */
export function serviceSpecsIn(tx: Tx): { id: number; name: string; spec: ServiceSpec }[] {
  return tx.select().from(services).all().map((row) => ({ id: row.id, name: row.name, spec: specOf(row) }));
}
