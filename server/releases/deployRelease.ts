import "server-only";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { errorMessage } from "@/server/errors";
import { waitForServersUp } from "@/server/haproxy/applyBackend";
import { dockerForHost, hostRowByName } from "@/server/hosts/hostRegistry";
import { beginOperation, finishOperation, runStep, setOperationRelease } from "@/server/operations/operationLog";
import { trackOperation } from "@/server/operations/operationTracker";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { applyServiceRouting, haproxySocket } from "@/server/routing/applyServiceRouting";
import { explainCheckMismatch } from "@/server/routing/haproxyCheck";
import { serviceByName, specOf, type ServiceRow } from "@/server/services/serviceRows";
import { DeployInput } from "@/server/services/serviceSpecInput";
import { actorFields } from "@/server/releaseLog/actorFields";
import { insertRelease, planRelease, type ReleasePlan } from "./createRelease";
import { discardCandidate } from "./discardCandidate";
import { gateTargets } from "./gateTargets";
import { describeCheck, healthGate } from "./healthGate";
import { nextSlot } from "./nextSlot";
import { releaseDiff } from "./releaseDiff";
import { pullImage } from "./pullImage";
import { describeGap } from "./recreatePlan";
import { recreateDeploy, usesRecreate } from "./recreateRelease";
import { releaseById, releaseWithStatus, setReleaseStatus, type ReleaseRow } from "./releaseRows";
import { removeReleaseContainers } from "./removeReleaseContainers";
import { liveReleaseForSpecChange } from "./specChangeSinceLive";
import { startReleaseContainers } from "./startReleaseContainers";
import { commitSwitch, routeAfterSwitch } from "./switchTraffic";
import { smokeSummary, smokeTestRelease } from "./smokeTestCandidate";
import { ensureServiceVolumes, VolumeSetupError, type CreatedVolume } from "@/server/volumes/ensureServiceVolumes";

type Kind = "deploy" | "redeploy";

/**
 * Deploy / Redeploy / Replay: starts the operation (409 while another one runs
 * on the service) and returns at once; the steps run server-side and are
 * recorded in SQLite. `done` settles when the operation ends.
 */
export function deployRelease(actor: Actor | null, serviceName: string, kind: Kind, raw: DeployInput | null) {
  const input = kind === "deploy" ? DeployInput.parse(raw) : null;
  const service = serviceByName(serviceName);
  if (input?.specChange) liveReleaseForSpecChange(service); // 409 before anything starts: nothing live, or nothing changed
  if (specOf(service).haproxy) haproxySocket(); // 503 before anything starts when routing is impossible
  const op = beginOperation(service.id, service.name, kind, actor, input);
  const done = trackOperation(op.id, runDeploy(op.id, actor, service, kind, input));
  return { operationId: op.id, done };
}

/** The release-log detail of a deploy: what it changes against the live release (everything is new on a first release). */
function diffAgainstLive(serviceId: number, rel: ReleaseRow) {
  const live = releaseWithStatus(serviceId, "live");
  if (!live) return { against: null, imageDigest: { before: null, after: rel.imageDigest }, changes: [] };
  const d = releaseDiff(
    { number: live.number, imageDigest: live.imageDigest, spec: specOf(live) },
    { number: rel.number, imageDigest: rel.imageDigest, spec: specOf(rel) },
  );
  return { against: live?.number ?? null, imageDigest: { before: d.imageDigest.before, after: d.imageDigest.after }, changes: d.changes };
}

async function runDeploy(opId: number, actor: Actor | null, service: ServiceRow, kind: Kind, input: DeployInput | null) {
  const who = actorFields(actor);
  const log = (action: string, outcome: "ok" | "failed" | "info", releaseNumber: number | undefined, message: string, detail?: unknown) =>
    recordEvent({ ...who, action, outcome, serviceName: service.name, releaseNumber, message, detail });
  let release: ReleaseRow | undefined;
  let plan: ReleasePlan | undefined;
  const createdVolumes: CreatedVolume[] = [];
  try {
    plan = await runStep(
      opId,
      "resolve image digest",
      () => planRelease(service, kind, input),
      (p) => p.note,
    );
    const spec = plan.spec;
    const planned = plan;
    // The release and the operation's link to it in one transaction: a crash between the two would leave a
    // release "deploying" that no recovery knows about (resumeOperations finds releases through the operation).
    const rel = (release = db().transaction(() => {
      const r = insertRelease(service, planned, actor);
      setOperationRelease(opId, r.id);
      return r;
    }));
    log(`release.${kind}`, "info", rel.number, `deploying ${plan.imageRef} pinned to ${plan.pinned}`, {
      imageRef: plan.imageRef,
      digest: plan.pinned,
      ...diffAgainstLive(service.id, rel),
    });

    const candidate = releaseWithStatus(service.id, "candidate");
    if (candidate) {
      await runStep(opId, `discard candidate release ${candidate.number}`, () => discardCandidate(service.id, candidate, spec));
      log("release.discard", "ok", candidate.number, `candidate replaced by release ${rel.number}`);
    }

    const pinned = plan.pinned;
    const imageIds = await runStep(
      opId,
      `pull ${pinned.split("@")[1]!.slice(0, 19)}… on ${spec.placement.map((p) => p.host).join(", ")}`,
      () => Promise.all(spec.placement.map((p) => pullImage(dockerForHost(hostRowByName(p.host), 60_000), pinned, p.host))),
      (ids) => `image ID ${ids[0]?.slice(7, 19)}`,
    );
    if (new Set(imageIds).size > 1) throw new Error(`hosts disagree on the image ID of ${pinned}: ${[...new Set(imageIds)].join(", ")}`);
    setReleaseStatus(rel.id, "deploying", { imageId: imageIds[0] ?? null });

    if (spec.volumes.length) {
      await runStep(
        opId,
        `volumes ${spec.volumes.map((v) => v.name).join(", ")}: create where missing`,
        async () => {
          const results = await Promise.allSettled(
            spec.placement.map((p) => ensureServiceVolumes(dockerForHost(hostRowByName(p.host), 60_000), p.host, spec)),
          );
          for (const r of results)
            createdVolumes.push(...(r.status === "fulfilled" ? r.value : r.reason instanceof VolumeSetupError ? r.reason.created : []));
          const failed = results.find((r) => r.status === "rejected");
          if (failed) throw failed.reason;
          return createdVolumes;
        },
        (c) => (c.length ? `created ${c.map((v) => `${v.volume} on ${v.host}`).join(", ")}` : "all present"),
      );
    }

    const live = releaseWithStatus(service.id, "live");
    // The same rule as Rollback: recreate when either side says so (a recreate service edited to blue-green must not start a second writer).
    if (live && usesRecreate(specOf(live), spec)) {
      const gapMs = await recreateDeploy(opId, service.id, rel, spec, pinned, live);
      log(
        "release.switch",
        "ok",
        rel.number,
        `release ${rel.number} live (recreate, ${describeGap(gapMs)}), release ${live.number} stopped on standby`,
        { strategy: "recreate", gapMs },
      );
      finishOperation(opId, "succeeded");
      return;
    }
    const started = await runStep(
      opId,
      "start containers",
      () => startReleaseContainers(rel, spec, pinned, nextSlot(service.id)),
      (s) => s.map((c) => `${c.name} on ${c.host.name}:${c.port}`).join(", "),
    );

    const hc = spec.healthCheck;
    await runStep(opId, `health gate: ${describeCheck(hc)} (up to ${hc.gateTimeoutS} s)`, () => healthGate(gateTargets(started, hc), hc));

    const routing = spec.haproxy;
    if (routing) {
      await runStep(opId, "register in HAProxy as preview (weight 0)", async () => {
        setReleaseStatus(rel.id, "candidate");
        await applyServiceRouting(service.id, spec);
        await waitForServersUp(
          haproxySocket(),
          routing.backend,
          started.map((c) => c.serverName),
          hc.gateTimeoutS * 1000,
        ).catch((err: unknown) => {
          throw explainCheckMismatch(err, hc, routing.backend);
        });
      });
      log("release.candidate", "ok", rel.number, `release ${rel.number} is healthy and in preview`);
    } else {
      await runStep(opId, "no HAProxy routing: candidate without preview", async () => setReleaseStatus(rel.id, "candidate"));
      log("release.candidate", "ok", rel.number, `release ${rel.number} is healthy (not routed)`);
    }

    // An automatic switch runs the smoke checks first (as Switch does); a failure leaves the healthy release in preview.
    const smokeBlocked =
      live &&
      spec.autoSwitch &&
      !(
        await runStep(
          opId,
          "smoke checks before the automatic switch",
          () => smokeTestRelease(actor, service, rel, "before the automatic switch"),
          smokeSummary,
        )
      ).passed;
    if (!smokeBlocked && (!live || spec.autoSwitch)) {
      await runStep(opId, live ? "switch traffic (automatic)" : "go live (first release)", async () => {
        const sw = commitSwitch(service.id, rel);
        await routeAfterSwitch(service.id, spec, sw);
      });
      log(
        "release.switch",
        "ok",
        rel.number,
        live ? `traffic switched from release ${live.number} to ${rel.number}` : `release ${rel.number} is live (first release)`,
      );
    }
    finishOperation(opId, "succeeded");
  } catch (err) {
    // Volumes are never removed with a failed release (they may already hold data): say which ones this deploy created.
    const kept = createdVolumes.length
      ? ` (volumes created by this deploy are kept: ${createdVolumes.map((v) => `${v.volume} on ${v.host}`).join(", ")}; delete them from the service's volumes if unwanted)`
      : "";
    const reason = errorMessage(err) + kept;
    const now = release ? releaseById(release.id) : undefined;
    if (now?.status === "live") {
      // Failed after commitSwitch made it live (routing / wait for servers): it is what runs now; keep it, reconcile retries the routing.
      const afterTakeOver = `routing failed after release ${now.number} took over (${reason}); release ${now.number} stays live and reconcile retries the routing`;
      log(`release.${kind}`, "failed", now.number, afterTakeOver);
      finishOperation(opId, "failed", afterTakeOver);
      return;
    }
    if (release) {
      const rel = release;
      const spec = plan!.spec;
      await runStep(opId, "abort: take new containers out and remove them", async () => {
        setReleaseStatus(rel.id, "failed", { failureReason: reason });
        await applyServiceRouting(service.id, spec).catch(() => undefined);
        const left = await removeReleaseContainers([rel.id]);
        if (left.length) throw new Error(`could not remove ${left.join("; ")}; the background cleanup retries`);
      }).catch(() => undefined);
    }
    log(`release.${kind}`, "failed", release?.number, reason, createdVolumes.length ? { createdVolumes } : undefined);
    finishOperation(opId, "failed", reason);
  }
}
