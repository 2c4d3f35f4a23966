import "server-only";
import { db } from "@/db/client";
import type { Actor } from "@/server/auth/actor";
import { dockerForHost, type HostRow } from "@/server/hosts/hostRegistry";
import { engineError } from "@/server/hosts/engineError";
import { finishOperation, runStep } from "@/server/operations/operationLog";
import { markContainerQuarantined, type ReleaseContainerRow, type ReleaseRow } from "@/server/releases/releaseRows";
import type { StartedContainer } from "@/server/releases/startReleaseContainers";
import { applyServiceRouting } from "@/server/routing/applyServiceRouting";
import { specOf, type ServiceRow } from "@/server/services/serviceRows";
import { isolateNetwork } from "./isolateNetwork";
import { captureProcesses } from "./processSnapshot";
import { logQuarantine, updateQuarantine, type QuarantineRow } from "./quarantineRows";
import { startReplacement } from "./startReplacement";
import { takeOutOfTraffic } from "./takeOutOfTraffic";

type Args = {
  opId: number;
  actor: Actor;
  q: QuarantineRow;
  container: ReleaseContainerRow;
  release: ReleaseRow;
  service: ServiceRow;
  host: HostRow;
  order: "out-first" | "replacement-first";
  /** Cut it off from its networks once out of traffic (bridge mode only). */
  isolateNetwork: boolean;
};

const message = (err: unknown) => (err instanceof Error ? err.message : engineError(err));

/**
 * The recorded steps of a quarantine: out of traffic (drain, then remove),
 * a health-gated replacement from the same release, and the rename on the
 * host, then (when asked) cutting it off from its networks. The process
 * list is taken first, for the forensic bundle: as it was when someone
 * decided to quarantine it. The last container of a release gets its replacement first. A
 * failing step is recorded and the others still run: the container stays
 * quarantined (and on its timer) whatever happens after it left traffic.
 */
export async function runQuarantine(a: Args): Promise<void> {
  const { opId, q, container, release, service, host } = a;
  const spec = specOf(service);
  const failures: string[] = [];
  let replacement: StartedContainer | undefined;
  const atQuarantine = await captureProcesses(dockerForHost(host).getContainer(q.dockerId), "quarantine", a.actor.username);
  updateQuarantine(q.id, { processesAtQuarantine: JSON.stringify(atQuarantine) });
  const out = () =>
    runStep(
      opId,
      `take ${container.serverName} out of traffic: drain, then remove from HAProxy`,
      () => takeOutOfTraffic(service.id, spec, container.serverName),
      (d) => d,
    );
  const replace = () =>
    runStep(
      opId,
      `start a replacement from release ${release.number} (pinned digest) on ${host.name}, health-gated`,
      () => startReplacement(container, release, host),
      (r) => `${r.name} on ${host.name}:${r.port}`,
    );

  if (a.order === "replacement-first") {
    try {
      replacement = await replace();
    } catch (err) {
      // The last container of its release: without a replacement, taking it out would fail requests.
      markContainerQuarantined(db(), container.id, null);
      updateQuarantine(q.id, {
        status: "failed",
        deadline: null,
        lastError: `not quarantined: it is the last container of release ${release.number} and its replacement failed (${message(err)}); it stays in traffic`,
      });
      finishOperation(opId, "failed", `replacement failed, so ${container.name} stays in traffic: ${message(err)}`);
      logQuarantine(
        a.actor,
        q,
        "start",
        "failed",
        `${container.name} not quarantined: the replacement failed and it is the last container of release ${release.number}`,
        { error: message(err) },
      );
      return;
    }
  }
  await out().catch((err) => failures.push(`out of traffic: ${message(err)} (the reconcile removes it from HAProxy)`));
  if (a.order === "out-first") {
    try {
      replacement = await replace();
      await runStep(
        opId,
        `register ${replacement.serverName} in HAProxy like the release's other containers`,
        () => applyServiceRouting(service.id, spec),
        (c) => `${c.length} change(s)`,
      );
    } catch (err) {
      failures.push(`replacement: ${message(err)}`);
    }
  }
  if (replacement) updateQuarantine(q.id, { replacementContainerId: replacement.id });
  await runStep(opId, `rename to ${q.quarantinedName} on ${host.name}`, () =>
    dockerForHost(host, 15_000).getContainer(q.dockerId).rename({ name: q.quarantinedName }),
  ).catch((err) => failures.push(`rename: ${engineError(err)}`));
  const isolation = await isolateNetwork(opId, q, dockerForHost(host, 15_000), a.isolateNetwork, a.actor.username);
  if (isolation) failures.push(isolation);
  finishOperation(opId, failures.length ? "failed" : "succeeded", failures.join("; ") || undefined);
  logQuarantine(
    a.actor,
    q,
    "start",
    failures.length ? "failed" : "ok",
    failures.length
      ? `${container.name} quarantined with problems: ${failures.join("; ")}`
      : `${container.name} out of traffic, replaced by ${replacement?.name}, renamed ${q.quarantinedName}`,
    { replacement: replacement?.name ?? null },
  );
}
