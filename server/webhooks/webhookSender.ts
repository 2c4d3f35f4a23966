import "server-only";
import { config } from "@/server/config";
import { forEachLimit } from "@/server/async/forEachLimit";
import { errorMessage } from "@/server/errors";
import { signWebhook } from "./webhookSignature";
import { claimDelivery, dueDeliveries, finishAttempt, webhookRow, type DeliveryRow } from "./webhookRows";

type SenderState = { timer: NodeJS.Timeout | null; running: boolean; again: boolean };
const globalForSender = globalThis as unknown as { switchyardWebhookSender?: SenderState };
const state = (globalForSender.switchyardWebhookSender ??= { timer: null, running: false, again: false });

const BODY_SNIPPET = 200;

/** Pure: what happens to a delivery after a failed attempt number `attempt` (1-based). */
export function afterFailure(
  attempt: number,
  backoffS: readonly number[],
  now: Date,
): { status: "pending"; nextAttemptAt: Date } | { status: "failed" } {
  const wait = backoffS[attempt - 1];
  return wait === undefined ? { status: "failed" } : { status: "pending", nextAttemptAt: new Date(now.getTime() + wait * 1000) };
}

/** Sends one attempt of a delivery and records its answer; never throws. */
async function attempt(d: DeliveryRow): Promise<void> {
  const { SWITCHYARD_WEBHOOK_TIMEOUT_MS: timeoutMs, SWITCHYARD_WEBHOOK_BACKOFF_S: backoff } = config();
  if (!claimDelivery(d, new Date(Date.now() + timeoutMs + 5000))) return;
  const hook = webhookRow(d.webhookId);
  const trigger = d.attempts === 0 ? (d.lastStatusCode !== null || d.lastError !== null ? "redelivery" : "first") : "retry";
  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  if (!hook || !hook.enabled) {
    error = hook ? "endpoint disabled" : "endpoint deleted";
  } else {
    const timestampS = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(hook.url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          "content-type": "application/json",
          "user-agent": "Switchyard-Webhooks/1",
          "webhook-id": d.messageId,
          "webhook-timestamp": String(timestampS),
          "webhook-signature": signWebhook(hook.secret, d.messageId, timestampS, d.payload),
        },
        body: d.payload,
      });
      statusCode = res.status;
      const text = await res.text().catch(() => "");
      if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}${text ? `: ${text.slice(0, BODY_SNIPPET)}` : ""}`;
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      error = err instanceof Error && err.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : errorMessage(cause ?? err);
    }
  }
  const now = new Date();
  const n = d.attempts + 1;
  const record = { at: now, statusCode, error, durationMs: now.getTime() - started, trigger };
  if (error === null) {
    finishAttempt(d.id, record, {
      status: "delivered",
      attempts: n,
      deliveredAt: now,
      leaseUntil: null,
      nextAttemptAt: null,
      lastStatusCode: statusCode,
      lastError: null,
    });
  } else {
    const next = !hook || !hook.enabled ? ({ status: "failed" } as const) : afterFailure(n, backoff, now);
    finishAttempt(d.id, record, {
      attempts: n,
      leaseUntil: null,
      lastStatusCode: statusCode,
      lastError: error,
      ...(next.status === "failed" ? { status: "failed", nextAttemptAt: null } : next),
    });
  }
}

/** One pass: every due delivery, four at a time. Runs again at once if woken meanwhile. */
async function sendDue(): Promise<void> {
  if (state.running) {
    state.again = true;
    return;
  }
  state.running = true;
  try {
    do {
      state.again = false;
      const due = dueDeliveries(new Date(), 50);
      await forEachLimit(due, 4, attempt);
      if (due.length === 50) state.again = true;
    } while (state.again);
  } catch (err) {
    console.error("[switchyard] webhook sender failed:", errorMessage(err));
  } finally {
    state.running = false;
  }
}

/** A delivery was queued: send it now rather than at the next tick. */
export function wakeWebhookSender(): void {
  if (state.timer) void sendDue();
}

/** Starts the sender of this process: due deliveries every second (idempotent); pending ones left by a restart go first. */
export function startWebhookSender(intervalMs = 1000): void {
  if (state.timer) return;
  state.timer = setInterval(() => void sendDue(), intervalMs);
  state.timer.unref();
  void sendDue();
}
