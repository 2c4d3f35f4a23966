/**
 * A stand-in dashboard for webhooks.test.ts's crash case, on its own data
 * directory (SWITCHYARD_DATA_DIR):
 *
 *   emit <url>  adds an endpoint, starts the sender, records a drift change the way a
 *               scan does, waits for the first (failed) attempt, prints {"recorded": id};
 *               the test then SIGKILLs it before any delivery succeeded.
 *   serve       what a restarted dashboard does: starts the sender; prints {"serving": true}.
 */
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { webhookDeliveries } from "@/db/schema";
import { recordDriftChanges } from "@/server/drift/driftChangeEvents";
import { createWebhook } from "@/server/webhooks/createWebhook";
import { startWebhookSender } from "@/server/webhooks/webhookSender";

const actor = { userId: 0, username: "webhook-child", role: "admin" as const, via: "session" as const, ip: "127.0.0.1" };
const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
const [verb, url] = process.argv.slice(2);

if (verb === "emit" && url) {
  const { secret } = createWebhook(actor, { url, events: ["drift.new"] });
  startWebhookSender(100);
  recordDriftChanges("alpha", 1, [{ name: "crash-web-1", serviceName: "crash-web", added: 2, resolved: 0 }], []);
  for (;;) {
    const d = db().select().from(webhookDeliveries).get();
    if (d && d.attempts >= 1) {
      say({ recorded: d.messageId, attempts: d.attempts, lastError: d.lastError, secret });
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  // Stay alive: the test kills this process.
  setInterval(() => undefined, 1000);
} else if (verb === "serve") {
  startWebhookSender(100);
  say({ serving: true });
  setInterval(() => {
    const d = db().select().from(webhookDeliveries).where(eq(webhookDeliveries.status, "delivered")).get();
    if (d) say({ delivered: d.messageId, attempts: d.attempts });
  }, 200);
} else {
  console.error("usage: webhookChild.ts emit <url> | serve");
  process.exit(2);
}
