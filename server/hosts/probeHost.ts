import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { hosts } from "@/db/schema";
import { config } from "@/server/config";
import { dockerForHost, type HostRow } from "./hostRegistry";
import { engineError } from "./engineError";
import { withTimeout } from "@/server/async/withTimeout";

export type EngineFacts = {
  engineVersion: string;
  apiVersion: string;
  os: string;
  osType: string;
  architecture: string;
  kernel: string;
  storageDriver: string;
  cgroupDriver: string;
  containers: { total: number; running: number; paused: number; stopped: number };
  images: number;
};

export type HostStatus =
  { reachable: true; checkedAt: number; latencyMs: number; engine: EngineFacts } | { reachable: false; checkedAt: number; error: string };

/** Asks the engine for its facts; records last-seen or the error on the host row. */
export async function probeHost(host: HostRow): Promise<HostStatus> {
  const started = Date.now();
  const timeoutMs = config().SWITCHYARD_HOST_TIMEOUT_MS;
  const docker = dockerForHost(host);
  try {
    const [info, version] = await withTimeout(Promise.all([docker.info(), docker.version()]), timeoutMs, `engine ${host.name}`);
    const now = new Date();
    // Every open page polls this: write only when something changed or the record is getting old.
    if (host.lastError !== null || !host.lastSeenAt || now.getTime() - host.lastSeenAt.getTime() > 5000) {
      db().update(hosts).set({ lastSeenAt: now, lastError: null, lastErrorAt: null }).where(eq(hosts.id, host.id)).run();
    }
    return {
      reachable: true,
      checkedAt: now.getTime(),
      latencyMs: now.getTime() - started,
      engine: {
        engineVersion: String(version.Version ?? info.ServerVersion ?? "?"),
        apiVersion: String(version.ApiVersion ?? "?"),
        os: String(info.OperatingSystem ?? "?"),
        osType: String(info.OSType ?? "?"),
        architecture: String(info.Architecture ?? "?"),
        kernel: String(info.KernelVersion ?? "?"),
        storageDriver: String(info.Driver ?? "?"),
        cgroupDriver: String(info.CgroupDriver ?? "?"),
        containers: {
          total: Number(info.Containers ?? 0),
          running: Number(info.ContainersRunning ?? 0),
          paused: Number(info.ContainersPaused ?? 0),
          stopped: Number(info.ContainersStopped ?? 0),
        },
        images: Number(info.Images ?? 0),
      },
    };
  } catch (err) {
    const error = engineError(err);
    const now = new Date();
    if (host.lastError !== error) db().update(hosts).set({ lastError: error, lastErrorAt: now }).where(eq(hosts.id, host.id)).run();
    return { reachable: false, checkedAt: now.getTime(), error };
  }
}
