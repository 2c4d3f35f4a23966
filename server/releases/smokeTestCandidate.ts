import "server-only";
import type { Actor } from "@/server/auth/actor";
import { conflict } from "@/server/errors";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { routedContainers } from "@/server/routing/applyServiceRouting";
import { serviceByName, specOf } from "@/server/services/serviceRows";
import { releaseWithStatus, type ReleaseRow } from "./releaseRows";
import { describeSmokeFailures, runSmokeChecks } from "./smokeCheck";
import { SmokeChecksFailed } from "./smokeError";
import type { SmokeRun } from "./smokeView";

/**
 * The service's smoke checks (spec `smoke`, the CURRENT spec: checks are
 * edited without a deploy) against every candidate container directly, at
 * the address and port the record holds: what the preview backend routes to,
 * each replica on its own. Recorded in the release log either way.
 */
export async function smokeTestRelease(
  actor: Actor | null,
  service: { id: number; name: string; spec: string },
  candidate: ReleaseRow,
  why: string,
): Promise<SmokeRun> {
  const checks = specOf(service).smoke;
  const targets = routedContainers(service.id)
    .filter((c) => c.releaseStatus === "candidate")
    .map((c) => ({ server: c.serverName, address: c.address, port: c.port }));
  const results = await runSmokeChecks(targets, checks);
  const run: SmokeRun = {
    service: service.name,
    candidate: candidate.number,
    ranAt: new Date().toISOString(),
    passed: results.every((r) => r.ok),
    results,
  };
  if (checks.length) {
    recordEvent({
      ...actorFields(actor),
      action: "release.smoke",
      outcome: run.passed ? "ok" : "failed",
      serviceName: service.name,
      releaseNumber: candidate.number,
      message: `${why}: ${results.filter((r) => r.ok).length}/${results.length} smoke check(s) passed${run.passed ? "" : `\n${describeSmokeFailures(results)}`}`,
      detail: { results },
    });
  }
  return run;
}

/** A run in one line, for an operation step's detail. */
export function smokeSummary(run: SmokeRun): string {
  const passed = run.results.filter((r) => r.ok).length;
  return run.passed
    ? `${passed}/${run.results.length} passed`
    : `${passed}/${run.results.length} passed; stays in preview:\n${describeSmokeFailures(run.results)}`;
}

/** Before a Switch or a shift up: throws SmokeChecksFailed (409) with the failing responses when a check fails. */
export async function assertSmokePasses(
  actor: Actor | null,
  service: { id: number; name: string; spec: string },
  candidate: ReleaseRow,
  what: string,
) {
  const run = await smokeTestRelease(actor, service, candidate, `before ${what}`);
  if (!run.passed) {
    throw new SmokeChecksFailed(
      `${what} blocked: release ${candidate.number} failed its smoke checks.\n${describeSmokeFailures(run.results)}`,
      run,
    );
  }
}

/** POST /api/services/{name}/smoke: run the checks now against the candidate. */
export async function smokeTestCandidate(actor: Actor | null, serviceName: string): Promise<SmokeRun> {
  const service = serviceByName(serviceName);
  const candidate = releaseWithStatus(service.id, "candidate");
  if (!candidate) throw conflict(`${serviceName} has no candidate to smoke-test; deploy one first.`);
  if (specOf(service).smoke.length === 0) throw conflict(`${serviceName} has no smoke checks: add some to its spec (smoke).`);
  return smokeTestRelease(actor, service, candidate, "on request");
}
