/**
 * A stand-in Switchyard server for recovery.test.ts: it runs one release verb
 * against the test's data directory and the lab, and the test SIGKILLs it in
 * the middle of the operation (a crash, not a shutdown).
 *
 *   node --conditions=react-server --import tsx test/integration/crashChild.ts deploy <service> <image>
 *   node --conditions=react-server --import tsx test/integration/crashChild.ts switch <service>
 *   node --conditions=react-server --import tsx test/integration/crashChild.ts resume
 *
 * Run from the repository root with SWITCHYARD_DATA_DIR and
 * SWITCHYARD_HAPROXY_SOCKET set. Prints one JSON line when the operation has
 * started and one if it ever ends (which means the test failed to kill it).
 */
import type { Actor } from "@/server/auth/actor";
import { deployRelease } from "@/server/releases/deployRelease";
import { switchTraffic } from "@/server/releases/switchTraffic";
import { resumeOperations } from "@/server/operations/resumeOperations";

const actor: Actor = { userId: 0, username: "crash-child", role: "admin", via: "session", ip: "127.0.0.1" };
const [verb, service, image] = process.argv.slice(2);
const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

if (verb === "resume") {
  // A restarted server: what startBackgroundJobs does first.
  await resumeOperations();
  say({ resumed: true });
  process.exit(0);
}
if (!service || (verb !== "deploy" && verb !== "switch") || (verb === "deploy" && !image)) {
  console.error("usage: crashChild.ts deploy <service> <image> | switch <service> | resume");
  process.exit(2);
}

if (verb === "deploy") {
  const { operationId, done } = deployRelease(actor, service, "deploy", { image });
  say({ started: operationId });
  await done;
  say({ finished: operationId });
} else {
  say({ started: null });
  const result = await switchTraffic(actor, service, "switch");
  say({ finished: result.operationId });
}
process.exit(0);
