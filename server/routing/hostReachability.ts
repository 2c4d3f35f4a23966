import "server-only";
import { withTimeout } from "@/server/async/withTimeout";
import { config } from "@/server/config";
import { engineError } from "@/server/hosts/engineError";
import { dockerForHost, type HostRow } from "@/server/hosts/hostRegistry";

/**
 * Pings each host's engine (one `GET /_ping`, the host timeout at most) and
 * returns the ones that did not answer, by host id, with why. Routing counts
 * the servers of an unreachable host as down (README "Switching with a host down").
 */
export async function unreachableHosts(hosts: HostRow[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const timeoutMs = config().SWITCHYARD_HOST_TIMEOUT_MS;
  await Promise.all(
    hosts.map(async (h) => {
      try {
        await withTimeout(dockerForHost(h).ping(), timeoutMs, `engine ${h.name}`);
      } catch (err) {
        out.set(h.id, engineError(err));
      }
    }),
  );
  return out;
}
