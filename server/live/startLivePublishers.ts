import "server-only";
import { onHaproxySample, type HaproxySample } from "./haproxySampler";
import { onEngineChange, type EngineChange } from "./engineSampler";
import { servicesOnHost, serviceOfBackend } from "./liveRows";
import { publishTopic } from "./publishChanges";

/** Traffic numbers (rates, response times) move all the time: a service's page hears of them at most this often. */
export const TRAFFIC_TICK_MS = 10_000;

/** An engine change: the host page, the fleet, the quarantine list (it shows container states), and the services with a container there. */
function engineChanged(change: EngineChange): void {
  publishTopic(`host:${change.hostId}`);
  publishTopic("fleet");
  publishTopic("quarantine");
  for (const name of servicesOnHost(change.hostId, change.kind === "event" ? change.containerId : undefined)) {
    publishTopic(`service:${name}`, name);
  }
}

type BackendSeen = { shown: string; traffic: string; publishedAt: number };

/**
 * Per HAProxy sample: a service hears at once when what its page shows about a
 * server changed (status, weight, check), and at most every TRAFFIC_TICK_MS when
 * only the traffic numbers moved.
 */
export function haproxyChanges(seen: Map<string, BackendSeen>, sample: HaproxySample, owners: Map<string, string>): string[] {
  const changed = new Set<string>();
  for (const [backend, rows] of sample.backends) {
    const service = owners.get(backend);
    if (!service) continue;
    const shown = rows.map((r) => `${r.server}|${r.status}|${r.weight}|${r.checkStatus}`).join(",");
    const traffic = rows.map((r) => `${r.rate}|${r.hrsp5xx}|${r.rtimeMs}|${r.currentSessions}`).join(",");
    const before = seen.get(backend);
    const now = sample.at;
    if (!before || before.shown !== shown || (before.traffic !== traffic && now - before.publishedAt >= TRAFFIC_TICK_MS)) {
      changed.add(service);
      seen.set(backend, { shown, traffic, publishedAt: now });
    }
  }
  return [...changed];
}

const globalForPublishers = globalThis as unknown as { switchyardLivePublishers?: boolean };

/** Subscribes the live bus to the engine and HAProxy samplers (once per process). */
export function startLivePublishers(): void {
  if (globalForPublishers.switchyardLivePublishers) return;
  globalForPublishers.switchyardLivePublishers = true;
  onEngineChange((change) => {
    try {
      engineChanged(change);
    } catch (err) {
      console.error("[switchyard] live engine change failed:", err);
    }
  });
  const seen = new Map<string, BackendSeen>();
  onHaproxySample((sample) => {
    for (const name of haproxyChanges(seen, sample, serviceOfBackend())) publishTopic(`service:${name}`, name);
  });
}
