import "server-only";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { conflict, invalid } from "@/server/errors";
import { formatSeconds } from "./constants";
import { ExtendInput } from "./quarantineInput";
import { extendDeadline, needsImageAdvice, warningAt } from "./quarantineRules";
import { extensionsOf, insertExtension, logQuarantine, quarantineById, quarantineLimits, setActiveDeadline } from "./quarantineRows";

/**
 * Extend: moves the deadline (never past the maximum lifetime), records the
 * extension, and re-arms the warning. Refused without any change when the
 * quarantine is not active, its self-destruct is cancelled, or it would pass
 * the maximum.
 */
export function extendQuarantine(actor: Actor, id: number, raw: ExtendInput) {
  const { addS } = ExtendInput.parse(raw);
  const limits = quarantineLimits();
  const result = db().transaction(
    (tx) => {
      const q = quarantineById(id);
      if (q.status !== "active")
        throw conflict(`Quarantine #${id} (${q.originalName}) is ${q.status}; only an active quarantine can be extended.`);
      const now = Date.now();
      const check = extendDeadline(
        { quarantinedAt: q.quarantinedAt.getTime(), deadline: q.deadline?.getTime() ?? null },
        addS,
        now,
        limits,
      );
      if (!check.ok) throw q.deadline === null ? conflict(check.problem) : invalid(check.problem);
      const newDeadline = new Date(check.newDeadline);
      const updated = setActiveDeadline(tx, id, newDeadline);
      if (!updated) throw conflict(`Quarantine #${id} changed meanwhile; reload and try again.`);
      insertExtension(tx, { quarantineId: id, by: actor.username, at: new Date(now), addedS: addS, newDeadline });
      return { q: updated, previous: q.deadline, now };
    },
    { behavior: "immediate" },
  );
  const extensions = extensionsOf(id).length;
  const deadline = result.q.deadline!.getTime();
  logQuarantine(
    actor,
    result.q,
    "extend",
    "ok",
    `extended by ${formatSeconds(addS)} to ${result.q.deadline!.toISOString()} (extension ${extensions})`,
    {
      addS,
      before: { deadline: result.previous?.toISOString() ?? null },
      after: { deadline: result.q.deadline!.toISOString() },
      warnAt: new Date(warningAt(deadline, result.now, limits)).toISOString(),
      extensions,
    },
  );
  return { quarantine: result.q, extensions, adviseImage: needsImageAdvice(extensions) };
}
