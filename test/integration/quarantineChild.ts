/**
 * A stand-in dashboard for quarantine.test.ts: the same start-up as the Next
 * server (instrumentation.ts → startServer: config, database, background jobs
 * including the quarantine timers), without the HTTP side. The test starts
 * it, stops it (SIGTERM) and starts it again.
 *
 *   node --conditions=react-server --import tsx test/integration/quarantineChild.ts
 *
 * Run from the repository root with SWITCHYARD_DATA_DIR and
 * SWITCHYARD_HAPROXY_SOCKET set. Prints {"started": <ms>} once start-up ran.
 */
import { startServer } from "@/server/startServer";

const startedAt = Date.now();
await startServer();
process.stdout.write(`${JSON.stringify({ started: startedAt, ready: Date.now() })}\n`);
// The background loops are unref'd timers (they never keep a real server alive on their own): keep this one up until stopped.
setInterval(() => undefined, 1 << 30);
process.on("SIGTERM", () => process.exit(0));
