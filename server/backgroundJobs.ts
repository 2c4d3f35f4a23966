import "server-only";
import { config } from "./config";
import { resumeOperations } from "./operations/resumeOperations";
import { reconcileRouting } from "./routing/reconcileRouting";
import { scheduledScan } from "./drift/runScan";
import { runQuarantineTimers } from "./quarantine/quarantineTimers";
import { startHaproxySampler } from "./live/haproxySampler";
import { startLivePublishers } from "./live/startLivePublishers";
import { startEngineSamplers } from "./live/engineSampler";
import { QUARANTINE_DRIFT_INTERVAL_MS, sampleQuarantineDrift } from "./quarantine/quarantineView";
import { startTrafficRecorder } from "./live/trafficRecorder";
import { downsampleTraffic } from "./live/trafficRetention";
import { startWebhookSender } from "./webhooks/webhookSender";

const globalForJobs = globalThis as unknown as { switchyardJobs?: boolean };

function every(ms: number, name: string, job: () => Promise<void>, immediately = false): void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await job();
    } catch (err) {
      console.error(`[switchyard] background ${name} failed:`, err);
    } finally {
      running = false;
    }
  };
  setInterval(tick, ms).unref();
  if (immediately) void tick();
}

/** Background loops that run from server start, not from a page being open. */
export async function startBackgroundJobs(): Promise<void> {
  if (globalForJobs.switchyardJobs) return;
  globalForJobs.switchyardJobs = true;
  startTrafficRecorder();
  startHaproxySampler();
  startLivePublishers();
  startEngineSamplers();
  every(QUARANTINE_DRIFT_INTERVAL_MS, "quarantine drift", () => sampleQuarantineDrift(), true);
  every(5 * 60_000, "traffic history downsampling", async () => void downsampleTraffic(), true);
  startWebhookSender();
  every(1000, "quarantine timers", () => runQuarantineTimers(), true);
  await resumeOperations();
  await reconcileRouting().catch((err) => console.error("[switchyard] first reconcile failed:", err));
  every(config().SWITCHYARD_RECONCILE_INTERVAL_S * 1000, "reconcile", reconcileRouting);
  every(config().SWITCHYARD_DRIFT_INTERVAL_S * 1000, "drift scan", scheduledScan, true);
}
