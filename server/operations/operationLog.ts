import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import { db } from "@/db/client";
import { operations, operationSteps, services } from "@/db/schema";
import type { Actor } from "@/server/auth/actor";
import { conflict, errorMessage } from "@/server/errors";
import type { ServiceRow } from "@/server/services/serviceRows";
import type { OperationKind, OperationStatus } from "./constants";
import { publishOperation } from "@/server/live/publishChanges";

export type OperationRow = typeof operations.$inferSelect;

/**
 * Starts an operation on a service, refusing (409) while another one runs:
 * one operation per service at a time. The check and the insert share one
 * SQLite write transaction, so two simultaneous clicks cannot both win.
 */
export function beginOperation(
  serviceId: number,
  serviceName: string,
  kind: OperationKind,
  actor: Actor | null,
  input: unknown,
): OperationRow {
  return db().transaction(
    (tx) => {
      assertNoRunningOperation(serviceId, serviceName);
      return tx
        .insert(operations)
        .values({
          kind,
          serviceId,
          status: "running",
          actor: actor?.username ?? "system",
          input: JSON.stringify(input ?? {}),
          startedAt: new Date(),
        })
        .returning()
        .get();
    },
    { behavior: "immediate" },
  );
}

export function setOperationRelease(opId: number, releaseId: number): void {
  publishOperation(opId);
  db().update(operations).set({ releaseId }).where(eq(operations.id, opId)).run();
}

export function finishOperation(opId: number, status: Exclude<OperationStatus, "running">, error?: string): void {
  publishOperation(opId);
  db()
    .update(operations)
    .set({ status, error: error ?? null, finishedAt: new Date() })
    .where(eq(operations.id, opId))
    .run();
}

/**
 * Runs one step, recorded before it starts and after it ends, so that a
 * restarted server knows exactly how far an operation got.
 */
export async function runStep<T>(opId: number, name: string, fn: () => Promise<T> | T, detail?: (r: T) => string | undefined): Promise<T> {
  publishOperation(opId);
  const step = db().insert(operationSteps).values({ operationId: opId, name, status: "running", startedAt: new Date() }).returning().get();
  try {
    const result = await fn();
    publishOperation(opId);
    db()
      .update(operationSteps)
      .set({ status: "done", finishedAt: new Date(), detail: detail?.(result) ?? null })
      .where(eq(operationSteps.id, step.id))
      .run();
    return result;
  } catch (err) {
    publishOperation(opId);
    db()
      .update(operationSteps)
      .set({ status: "failed", finishedAt: new Date(), detail: errorMessage(err) })
      .where(eq(operationSteps.id, step.id))
      .run();
    throw err;
  }
}

/** Records an instantaneous note (e.g. "undone after restart"). */
export function noteStep(opId: number, name: string, status: "done" | "failed" | "undone", detail?: string): void {
  publishOperation(opId);
  const now = new Date();
  db()
    .insert(operationSteps)
    .values({ operationId: opId, name, status, detail: detail ?? null, startedAt: now, finishedAt: now })
    .run();
}

export function operationWithSteps(opId: number) {
  const op = db().select().from(operations).where(eq(operations.id, opId)).get();
  if (!op) return null;
  const steps = db().select().from(operationSteps).where(eq(operationSteps.operationId, opId)).orderBy(operationSteps.id).all();
  return { ...op, steps };
}

/** GET /api/operations/:id (`operation`); its Dates travel as ISO strings (see `Json` in server/http/json.ts). */
export type OperationWithSteps = NonNullable<ReturnType<typeof operationWithSteps>>;

export function recentOperations(serviceId: number, limit = 10) {
  return db().select().from(operations).where(eq(operations.serviceId, serviceId)).orderBy(desc(operations.id)).limit(limit).all();
}

export function runningOperations(): OperationRow[] {
  return db().select().from(operations).where(eq(operations.status, "running")).all();
}

/** 409 naming the operation in progress, checked before anything else is judged. */
export function assertNoRunningOperation(serviceId: number, serviceName: string): void {
  const running = runningOperationOf(serviceId);
  if (running) {
    const secs = Math.round((Date.now() - running.startedAt.getTime()) / 1000);
    throw conflict(
      `${serviceName}: ${running.kind} #${running.id} by ${running.actor} is in progress (started ${secs}s ago); wait for it to finish.`,
    );
  }
}

/** Steps a dead process left "running" are closed as interrupted, so no spinner runs forever. */
export function closeInterruptedSteps(opId: number): void {
  publishOperation(opId);
  db()
    .update(operationSteps)
    .set({ status: "failed", finishedAt: new Date(), detail: "interrupted by a server restart" })
    .where(and(eq(operationSteps.operationId, opId), eq(operationSteps.status, "running")))
    .run();
}

export function stepDone(opId: number, namePrefix: string): boolean {
  return db()
    .select({ name: operationSteps.name, status: operationSteps.status })
    .from(operationSteps)
    .where(eq(operationSteps.operationId, opId))
    .all()
    .some((s) => s.name.startsWith(namePrefix) && s.status === "done");
}

/** The service an operation is on; undefined when it has none or it no longer exists. */
export function serviceOfOperation(op: OperationRow): ServiceRow | undefined {
  return op.serviceId ? db().select().from(services).where(eq(services.id, op.serviceId)).get() : undefined;
}

/** The status of each of these operations (ids no longer there are left out). */
export function operationStatuses(opIds: number[]): { id: number; status: OperationStatus }[] {
  if (opIds.length === 0) return [];
  return db().select({ id: operations.id, status: operations.status }).from(operations).where(inArray(operations.id, opIds)).all();
}

/** The operation running on a service, if one is. */
export function runningOperationOf(serviceId: number): OperationRow | undefined {
  return db()
    .select()
    .from(operations)
    .where(and(eq(operations.serviceId, serviceId), eq(operations.status, "running")))
    .get();
}
