import "server-only";
import type Docker from "dockerode";
import { engineError } from "@/server/hosts/engineError";
import { runStep } from "@/server/operations/operationLog";
import { decideIsolation, isolationPlan, networksToRestore, reconnectConfig, type NetworkIsolation } from "./networkIsolation";
import { logQuarantine, updateQuarantine, type QuarantineRow } from "./quarantineRows";

export const isolationOf = (q: Pick<QuarantineRow, "networkIsolation">): NetworkIsolation | null =>
  q.networkIsolation ? (JSON.parse(q.networkIsolation) as NetworkIsolation) : null;

/**
 * Once the container is out of traffic: cut it off from its networks when
 * asked and its network mode allows (a recorded step, the endpoints saved to
 * reconnect it); in every case record its mode and, if it cannot be cut off,
 * why (a host-network container shares the host's stack).
 */
export async function isolateNetwork(
  opId: number,
  q: QuarantineRow,
  docker: Docker,
  requested: boolean,
  by: string,
): Promise<string | null> {
  const container = docker.getContainer(q.dockerId);
  let info: Docker.ContainerInspectInfo;
  try {
    info = await container.inspect();
  } catch (err) {
    if (!requested) return null;
    const why = engineError(err);
    record(q, { mode: "unknown", requested, outcome: "failed", why, networks: [], by, at: new Date().toISOString() });
    return `network isolation: ${why}`;
  }
  const mode = info.HostConfig.NetworkMode ?? "default";
  const decided = decideIsolation(requested, isolationPlan(mode, info.NetworkSettings.Networks));
  const base = { mode, requested, by, at: new Date().toISOString(), networks: decided.disconnect };
  if (decided.disconnect.length === 0) {
    record(q, { ...base, outcome: decided.outcome, why: decided.why });
    return null;
  }
  try {
    await runStep(
      opId,
      `cut ${q.quarantinedName} off from its networks (${decided.disconnect.map((n) => n.name).join(", ")})`,
      async () => {
        for (const n of decided.disconnect) await docker.getNetwork(n.id).disconnect({ Container: q.dockerId, Force: true });
      },
    );
    record(q, { ...base, outcome: "cut-off", why: null });
    return null;
  } catch (err) {
    record(q, { ...base, outcome: "failed", why: engineError(err) });
    return `network isolation: ${engineError(err)}`;
  }
}

function record(q: QuarantineRow, n: NetworkIsolation): void {
  updateQuarantine(q.id, { networkIsolation: JSON.stringify(n) });
}

/** On Cancel self-destruct: connect it again to the networks it was cut off from, as they were; failures are recorded, not thrown. */
export async function restoreNetworks(q: QuarantineRow, docker: Docker, by: string): Promise<string | null> {
  const n = isolationOf(q);
  const networks = networksToRestore(n);
  if (!n || networks.length === 0) return null;
  const failed: string[] = [];
  for (const net of networks) {
    await docker
      .getNetwork(net.id)
      .connect({ Container: q.dockerId, EndpointConfig: reconnectConfig(net) })
      .catch((err: unknown) => failed.push(`${net.name}: ${engineError(err)}`));
  }
  const restored: NetworkIsolation = { ...n, outcome: "restored", restored: { by, at: new Date().toISOString(), failed } };
  record(q, restored);
  logQuarantine(
    by,
    q,
    "network-restore",
    failed.length ? "failed" : "ok",
    `reconnected ${q.quarantinedName} to ${networks.map((x) => x.name).join(", ")}`,
    {
      failed,
    },
  );
  return failed.length ? `reconnecting failed: ${failed.join("; ")}` : `reconnected to ${networks.map((x) => x.name).join(", ")}`;
}
