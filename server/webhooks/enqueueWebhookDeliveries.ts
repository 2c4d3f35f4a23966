import "server-only";
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Tx } from "@/db/client";
import type { EventRow } from "@/server/releaseLog/eventRows";
import { releaseDiff } from "@/server/releases/releaseDiff";
import { releasesByNumberIn, releaseWithStatus, type ReleaseRow } from "@/server/releases/releaseRows";
import { serviceRowIn } from "@/server/services/serviceRows";
import { webhookEventOf, type WebhookEvent } from "./constants";
import { webhookPayload, type PayloadRelease } from "./webhookPayload";
import { insertDeliveries, webhookRows } from "./webhookRows";
import { wakeWebhookSender } from "./webhookSender";

const SOURCE = `switchyard://${os.hostname()}`;

function parseDetail(detail: string | null): unknown {
  if (!detail) return null;
  try {
    return JSON.parse(detail);
  } catch {
    return null;
  }
}

/** The release an event is about and the one it is compared with. */
function releasesOf(tx: Tx, e: EventRow, event: WebhookEvent, detail: unknown) {
  const service = e.serviceName ? serviceRowIn(tx, e.serviceName) : undefined;
  if (!service || e.releaseNumber === null) return { release: undefined, previous: undefined };
  const byNumber = releasesByNumberIn(tx, service.id);
  const release = byNumber.get(e.releaseNumber);
  const before = (detail as { before?: { live?: unknown } } | null)?.before?.live;
  let previous: ReleaseRow | undefined;
  if (typeof before === "number") previous = byNumber.get(before);
  else if (event === "release.switched" || event === "release.rolledback") {
    // The switch made the old live release the standby in the same transaction.
    previous = [...byNumber.values()]
      .filter((r) => r.status === "standby" && r.number !== e.releaseNumber)
      .sort((a, b) => b.number - a.number)[0];
  } else if (event === "release.retired") {
    previous = release;
    return { release: releaseWithStatus(service.id, "live", tx), previous };
  } else if (event.startsWith("release.")) previous = releaseWithStatus(service.id, "live", tx);
  if (previous?.number === release?.number) previous = undefined;
  return { release, previous };
}

const view = (r: ReleaseRow | undefined): PayloadRelease | null =>
  r ? { number: r.number, imageRef: r.imageRef, imageDigest: r.imageDigest } : null;

/**
 * Inside the transaction that records a release-log event: one delivery per
 * enabled endpoint subscribed to the webhook event it is (if any). The sender
 * is woken after the commit.
 */
export function enqueueWebhookDeliveries(tx: Tx, e: EventRow): void {
  const event = webhookEventOf(e.action, e.outcome);
  if (!event) return;
  const endpoints = webhookRows(tx).filter((w) => w.enabled && (JSON.parse(w.events) as string[]).includes(event));
  if (!endpoints.length) return;
  const detail = parseDetail(e.detail);
  const { release, previous } = releasesOf(tx, e, event, detail);
  const changedSpecFields =
    release && previous
      ? releaseDiff(
          { number: previous.number, imageDigest: previous.imageDigest, spec: JSON.parse(previous.spec) },
          { number: release.number, imageDigest: release.imageDigest, spec: JSON.parse(release.spec) },
        ).changes.map((c) => c.path)
      : [];
  const messageId = `msg_${randomUUID().replaceAll("-", "")}`;
  const payload = webhookPayload({
    event,
    messageId,
    at: e.at,
    source: SOURCE,
    releaseLog: {
      id: e.id,
      actor: e.actor,
      outcome: e.outcome,
      action: e.action,
      message: e.message,
      service: e.serviceName,
      host: e.hostName,
      container: e.containerName,
      detail,
    },
    release: view(release),
    previous: view(previous),
    changedSpecFields,
  });
  const now = new Date();
  insertDeliveries(
    tx,
    endpoints.map((w) => ({
      webhookId: w.id,
      messageId,
      eventId: e.id,
      event,
      payload,
      status: "pending" as const,
      nextAttemptAt: now,
      createdAt: now,
    })),
  );
  // After the commit (a microtask runs once this synchronous transaction has returned).
  queueMicrotask(wakeWebhookSender);
}
