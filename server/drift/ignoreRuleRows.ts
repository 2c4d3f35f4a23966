import "server-only";
import { and, asc, eq, isNull } from "drizzle-orm";
import { db } from "@/db/client";
import { driftIgnoreRules } from "@/db/schema";
import { notFound } from "@/server/errors";
import { DEFAULT_IGNORE_RULES } from "./constants";
import type { IgnoreRule } from "./ignoreRules";

export type IgnoreRuleRow = typeof driftIgnoreRules.$inferSelect;

const globalForRules = globalThis as unknown as { switchyardDriftRules?: { version: number } };
const rulesState = (globalForRules.switchyardDriftRules ??= { version: 0 });

/** Bumped on every rule change, so a scan in flight knows to judge its results again. */
export const rulesVersion = () => rulesState.version;
export const bumpRulesVersion = () => void rulesState.version++;

/** Writes the default rules into a table that has never had any (deleted ones count: they stay deleted). */
function seedDefaults(): void {
  if (db().select({ id: driftIgnoreRules.id }).from(driftIgnoreRules).limit(1).get()) return;
  const now = new Date();
  db()
    .insert(driftIgnoreRules)
    .values(
      DEFAULT_IGNORE_RULES.map((r) => ({
        pattern: r.pattern,
        serviceName: null,
        note: `default: ${r.note}`,
        createdBy: "system",
        createdAt: now,
        updatedAt: now,
      })),
    )
    .run();
}

export function ignoreRuleRows(): IgnoreRuleRow[] {
  seedDefaults();
  return db().select().from(driftIgnoreRules).where(isNull(driftIgnoreRules.deletedAt)).orderBy(asc(driftIgnoreRules.id)).all();
}

export function activeRules(): IgnoreRule[] {
  return ignoreRuleRows().map((r) => ({ id: r.id, pattern: r.pattern, serviceName: r.serviceName }));
}

export function ignoreRuleRow(id: number): IgnoreRuleRow {
  const row = db()
    .select()
    .from(driftIgnoreRules)
    .where(and(eq(driftIgnoreRules.id, id), isNull(driftIgnoreRules.deletedAt)))
    .get();
  if (!row) throw notFound(`Ignore rule ${id}`);
  return row;
}

export function ruleView(r: IgnoreRuleRow) {
  return {
    id: r.id,
    pattern: r.pattern,
    service: r.serviceName,
    note: r.note,
    createdBy: r.createdBy,
    createdAt: r.createdAt.getTime(),
    updatedAt: r.updatedAt.getTime(),
  };
}
export type IgnoreRuleView = ReturnType<typeof ruleView>;
