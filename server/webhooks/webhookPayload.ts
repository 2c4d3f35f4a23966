import { CDEVENT_TYPES, type WebhookEvent } from "./constants";

/** A release as a webhook shows it. */
export type PayloadRelease = { number: number; imageRef: string; imageDigest: string | null };

export type PayloadInput = {
  event: WebhookEvent;
  /** The webhook-id: also the CDEvent's context id. */
  messageId: string;
  at: Date;
  /** Where the events come from (this dashboard), e.g. "switchyard://hostname". */
  source: string;
  releaseLog: {
    id: number;
    actor: string;
    outcome: string;
    action: string;
    message: string | null;
    service: string | null;
    host: string | null;
    container: string | null;
    detail: unknown;
  };
  /** The release the event is about (the new one for deploys and switches; the retired one for retires). */
  release: PayloadRelease | null;
  /** The one it replaces or is compared with (the old live release). */
  previous: PayloadRelease | null;
  /** Dotted spec paths that differ between previous and release (secret values never included). */
  changedSpecFields: string[];
};

/** "sha256:…" from a digest or a pinned reference ("registry/repo@sha256:…"). */
function bareDigest(digest: string | null): string | null {
  return digest ? digest.slice(digest.lastIndexOf("@") + 1) : null;
}

/** `pkg:oci/<name>@<digest>?repository_url=<registry/repo>`: how CDEvents names an OCI artifact (package URL). */
export function ociPurl(imageRef: string, pinned: string | null): string | null {
  const digest = bareDigest(pinned);
  if (!digest) return null;
  const repo = imageRef.split("@")[0]!.replace(/:[^/:]+$/, "");
  const name = repo.split("/").pop()!;
  return `pkg:oci/${name}@${encodeURIComponent(digest)}?repository_url=${encodeURIComponent(repo)}`;
}

/**
 * Pure: the JSON body of one webhook message. The envelope is Standard
 * Webhooks' (`type`, `timestamp`, `data`); `data.cdevent` is the event as
 * CDEvents writes it; the rest is Switchyard's own detail: old and new
 * images by digest, changed spec fields, who did it.
 */
export function webhookPayload(p: PayloadInput): string {
  const subjectId = p.releaseLog.service ? `service/${p.releaseLog.service}` : `host/${p.releaseLog.host ?? "unknown"}`;
  const artifact = p.release ? ociPurl(p.release.imageRef, p.release.imageDigest) : null;
  const image = (r: PayloadRelease | null) => (r ? { release: r.number, ref: r.imageRef, digest: bareDigest(r.imageDigest) } : null);
  return JSON.stringify({
    type: p.event,
    timestamp: p.at.toISOString(),
    data: {
      cdevent: {
        context: { specversion: "0.4.1", id: p.messageId, source: p.source, type: CDEVENT_TYPES[p.event], timestamp: p.at.toISOString() },
        subject: {
          id: subjectId,
          source: p.source,
          content: {
            environment: { id: "switchyard", source: p.source },
            ...(artifact && { artifactId: artifact }),
          },
        },
      },
      service: p.releaseLog.service,
      release: p.release?.number ?? null,
      previousRelease: p.previous?.number ?? null,
      image: { old: image(p.previous), new: image(p.release) },
      changedSpecFields: p.changedSpecFields,
      host: p.releaseLog.host,
      container: p.releaseLog.container,
      actor: p.releaseLog.actor,
      outcome: p.releaseLog.outcome,
      message: p.releaseLog.message,
      releaseLogEvent: { id: p.releaseLog.id, action: p.releaseLog.action },
      detail: p.releaseLog.detail,
    },
  });
}
