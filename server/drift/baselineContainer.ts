import "server-only";
import type { Actor } from "@/server/auth/actor";
import { conflict } from "@/server/errors";
import { baselinePatterns } from "./baselinePatterns";
import { changeSet } from "./changeSets";
import type { Finding } from "./findings";
import { findResult } from "./findResult";
import { ignoredBy, rulesFor } from "./ignoreRules";
import { activeRules } from "./ignoreRuleRows";
import { createIgnoreRules } from "./ignoreRuleChanges";

/**
 * Baseline: the container's current filesystem findings become ignore rules
 * for its service. Image and config drift cannot be ignored (they mean the
 * container is not what was released): they are counted in the answer. Each
 * rule is the literal path (wildcard characters in a file name escaped); a
 * path no pattern can stand for is listed in `skipped`, not widened.
 */
export function baselineContainer(actor: Actor, hostName: string, container: string) {
  const { host, result, current } = findResult(hostName, container);
  if (!current) throw conflict(`${result.name} is not in ${host.name}'s last scan; baseline a container that is still there.`);
  if (!result.serviceName || !result.accounted)
    throw conflict(`${result.name} belongs to no release (it is ${result.verdict}); ignore rules are per service or global.`);
  if (result.quarantined)
    throw conflict(`${result.name} is quarantined and allowed to drift; its changes are not expected noise for ${result.serviceName}.`);
  const compiled = rulesFor(activeRules(), result.serviceName);
  const skipped: string[] = [];
  const patterns = baselinePatterns(changeSet(result.changeSet), (p) => ignoredBy(compiled, p) !== null, skipped);
  const notCovered = (JSON.parse(result.findings) as Finding[]).filter((f) => !f.info).length;
  if (patterns.length === 0) {
    const why = [
      skipped.length
        ? `${skipped.length} changed path(s) cannot be written as a pattern (control characters, trailing spaces or over 512 characters)`
        : "",
      notCovered ? `its ${notCovered} image/config finding(s) cannot be ignored: replace the container` : "",
    ].filter(Boolean);
    throw conflict(`${result.name} has no filesystem changes left to ignore${why.length ? ` (${why.join("; ")})` : ""}.`);
  }
  const note = `baseline of ${result.name} on ${host.name}`;
  const rules = createIgnoreRules(
    actor,
    patterns.map((pattern) => ({ pattern, service: result.serviceName, note })),
    `baseline of ${result.name} on ${host.name}`,
  );
  return { rules, notCovered, skipped };
}
