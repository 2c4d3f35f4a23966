import "server-only";
import { config } from "./config";
import { db } from "@/db/client";
import { errorMessage } from "@/server/errors";
import { ensureAdminFromEnv } from "./auth/firstAdmin";
import { ensureDefaultHosts } from "./hosts/defaultHosts";
import { startBackgroundJobs } from "./backgroundJobs";
import { installPeerStamp } from "./http/peerAddress";

/**
 * Start-up: stamp each request with its socket peer, validate configuration (exit with a clear message on a bad value),
 * migrate the database, create the first admin and default hosts, then start
 * background work (reconcile, resuming interrupted operations).
 */
export async function startServer(): Promise<void> {
  // First, before any request is served: route handlers learn the socket peer from it (see peerAddress.ts).
  installPeerStamp();
  try {
    config();
  } catch (err) {
    console.error(errorMessage(err));
    process.exit(2);
  }
  db();
  await ensureAdminFromEnv();
  ensureDefaultHosts();
  await startBackgroundJobs();
  console.log("[switchyard] started; data directory", config().SWITCHYARD_DATA_DIR);
}
