import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { db } from "@/db/client";
import { driftIgnoreRules, services } from "@/db/schema";
import type { Actor } from "@/server/auth/actor";
import { conflict, invalid } from "@/server/errors";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { actorFields } from "@/server/releaseLog/actorFields";
import { IgnoreRuleInput, IgnoreRulePatch } from "./driftInput";
import { reevaluateLatest } from "./hostEvaluation";
import { bumpRulesVersion, ignoreRuleRow, ruleView } from "./ignoreRuleRows";
import type { z } from "zod";

function checkService(name: string | null): void {
  if (name && !db().select({ id: services.id }).from(services).where(eq(services.name, name)).get())
    throw invalid(`service: no service named '${name}'`);
}

function checkDuplicate(pattern: string, service: string | null, exceptId?: number): void {
  const same = db()
    .select()
    .from(driftIgnoreRules)
    .where(
      and(
        eq(driftIgnoreRules.pattern, pattern),
        service ? eq(driftIgnoreRules.serviceName, service) : isNull(driftIgnoreRules.serviceName),
        isNull(driftIgnoreRules.deletedAt),
      ),
    )
    .get();
  if (same && same.id !== exceptId) throw conflict(`Rule ${same.id} already ignores ${pattern} for ${service ?? "every service"}.`);
}

function changed(actor: Actor, action: string, message: string, detail: unknown): void {
  bumpRulesVersion();
  reevaluateLatest();
  recordEvent({ ...actorFields(actor), action, outcome: "ok", message, detail });
}

/** Adds ignore rules (the baseline adds several at once); the last scan is judged again at once. */
export function createIgnoreRules(actor: Actor, inputs: z.input<typeof IgnoreRuleInput>[], why = "ignore rule added") {
  const parsed = inputs.map((i) => IgnoreRuleInput.parse(i));
  for (const p of parsed) checkService(p.service);
  for (const p of parsed) checkDuplicate(p.pattern, p.service);
  const now = new Date();
  const rows = parsed.map((p) =>
    db()
      .insert(driftIgnoreRules)
      .values({ pattern: p.pattern, serviceName: p.service, note: p.note, createdBy: actor.username, createdAt: now, updatedAt: now })
      .returning()
      .get(),
  );
  changed(actor, "drift.ignore.create", `${why}: ${rows.map((r) => r.pattern).join(", ")}`, { after: rows.map(ruleView) });
  return rows.map(ruleView);
}

export function updateIgnoreRule(actor: Actor, id: number, raw: z.input<typeof IgnoreRulePatch>) {
  const before = ignoreRuleRow(id);
  const patch = IgnoreRulePatch.parse(raw);
  const pattern = patch.pattern ?? before.pattern;
  const service = patch.service === undefined ? before.serviceName : patch.service;
  checkService(service);
  checkDuplicate(pattern, service, id);
  db()
    .update(driftIgnoreRules)
    .set({ pattern, serviceName: service, note: patch.note ?? before.note, updatedAt: new Date() })
    .where(eq(driftIgnoreRules.id, id))
    .run();
  const after = ignoreRuleRow(id);
  changed(actor, "drift.ignore.update", `ignore rule ${id}: ${after.pattern}`, { before: ruleView(before), after: ruleView(after) });
  return ruleView(after);
}

export function deleteIgnoreRule(actor: Actor, id: number): void {
  const before = ignoreRuleRow(id);
  db().update(driftIgnoreRules).set({ deletedAt: new Date() }).where(eq(driftIgnoreRules.id, id)).run();
  changed(actor, "drift.ignore.delete", `ignore rule ${id} removed: ${before.pattern}`, { before: ruleView(before) });
}
