import "server-only";
import { asc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { services } from "@/db/schema";
import { notFound } from "@/server/errors";
import { ServiceSpec } from "./serviceSpecInput";

export type ServiceRow = typeof services.$inferSelect;

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
