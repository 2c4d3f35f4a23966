import "server-only";
import { asc, eq } from "drizzle-orm";
import { db, type Tx } from "@/db/client";
import { services } from "@/db/schema";
import { notFound } from "@/server/errors";
import { ServiceSpec } from "./serviceSpecInput";

export type ServiceRow = typeof services.$inferSelect;

export function serviceByName(name: string): ServiceRow {
  const row = db().select().from(services).where(eq(services.name, name)).get();
  if (!row) throw notFound(`Service '${name}'`);
  return row;
}

/** The service by id, or undefined (deleted since). */
export function serviceRowById(id: number): ServiceRow | undefined {
  return db().select().from(services).where(eq(services.id, id)).get();
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
  return tx
    .select()
    .from(services)
    .all()
    .map((row) => ({ id: row.id, name: row.name, spec: specOf(row) }));
}

export function insertServiceRow(tx: Tx, values: typeof services.$inferInsert): void {
  tx.insert(services).values(values).run();
}

/** A new spec for the service (it applies to the next release). */
export function updateServiceSpec(tx: Tx, id: number, spec: ServiceSpec): void {
  tx.update(services)
    .set({ spec: JSON.stringify(spec), updatedAt: new Date() })
    .where(eq(services.id, id))
    .run();
}

export function deleteServiceRow(tx: Tx, id: number): void {
  tx.delete(services).where(eq(services.id, id)).run();
}
