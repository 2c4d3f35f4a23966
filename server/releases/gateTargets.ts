import "server-only";
import { engineError } from "@/server/hosts/engineError";
import { hostAddress } from "@/server/hosts/hostAddress";
import { dockerForHost } from "@/server/hosts/hostRegistry";
import type { HealthCheck } from "@/server/services/serviceSpecInput";
import { describeCheck, probeFor } from "./healthGate";
import type { StartedContainer } from "./startReleaseContainers";

/** What the health gate probes for each started container: its check, and whether it still runs. */
export function gateTargets(started: StartedContainer[], check: HealthCheck) {
  return started.map((c) => ({
    label: `${c.name} on ${c.host.name}`,
    what: describeCheck(check, { address: hostAddress(c.host.url), port: c.port }),
    probe: probeFor(check, { address: hostAddress(c.host.url), port: c.port }, () => dockerForHost(c.host).getContainer(c.dockerId)),
    isRunning: async () => {
      try {
        const s = await dockerForHost(c.host).getContainer(c.dockerId).inspect();
        return { running: s.State.Running, why: `exit code ${s.State.ExitCode}` };
      } catch (err) {
        // Not the container's fault when its engine does not answer (stopped, unreachable): say so.
        if ((err as { statusCode?: number }).statusCode === 404) return { running: false, why: "container vanished" };
        return { running: false, why: `engine ${c.host.name} does not answer: ${engineError(err)}` };
      }
    },
  }));
}
