/**
 * A stand-in Switchyard server for rollout.test.ts: it starts the spec's
 * rollout on a service and keeps driving it (gate on every HAProxy sample,
 * timed steps), until the test SIGKILLs it in the middle of a step.
 *
 *   node --conditions=react-server --import tsx test/integration/rolloutChild.ts <service>
 *
 * Run from the repository root with SWITCHYARD_DATA_DIR and
 * SWITCHYARD_HAPROXY_SOCKET set. Prints one JSON line when the rollout has
 * started and one if it ever ends (which means the test failed to kill it).
 */
import type { Actor } from "@/server/auth/actor";
import { startRollout } from "@/server/rollouts/startRollout";

const actor: Actor = { userId: 0, username: "rollout-child", role: "operator", via: "session", ip: "127.0.0.1" };
const [service] = process.argv.slice(2);
const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
if (!service) {
  console.error("usage: rolloutChild.ts <service>");
  process.exit(2);
}
const { operationId, rolloutId, done } = await startRollout(actor, service);
say({ started: operationId, rollout: rolloutId });
await done;
say({ finished: operationId });
process.exit(0);
