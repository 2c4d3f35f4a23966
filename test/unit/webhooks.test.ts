/**
 * Webhooks, pure parts: Standard Webhooks signing (checked against the spec's
 * own test vector), which release-log entries become which events, the retry
 * schedule, the payload and the endpoint input.
 */
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signWebhook, verifyWebhook } from "@/server/webhooks/webhookSignature";
import { CDEVENT_TYPES, WEBHOOK_EVENTS, webhookEventOf } from "@/server/webhooks/constants";
import { afterFailure } from "@/server/webhooks/webhookSender";
import { ociPurl, webhookPayload } from "@/server/webhooks/webhookPayload";
import { WebhookInput, WebhookPatch } from "@/server/webhooks/webhookInput";
import { maskedWebhookUrl } from "@/server/webhooks/webhookViews";

describe("signWebhook", () => {
  it("matches the Standard Webhooks reference vector", () => {
    // From the Standard Webhooks specification's example (secret, id, timestamp, body → signature).
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const sig = signWebhook(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}');
    expect(sig).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("verifies its own signatures and nothing else; accepts one good signature among several", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const sig = signWebhook(secret, "msg_1", 1700000000, "{}");
    expect(verifyWebhook(secret, "msg_1", 1700000000, "{}", sig)).toBe(true);
    expect(verifyWebhook(secret, "msg_1", 1700000000, "{} ", sig)).toBe(false);
    expect(verifyWebhook(secret, "msg_2", 1700000000, "{}", sig)).toBe(false);
    expect(verifyWebhook(secret, "msg_1", 1700000001, "{}", sig)).toBe(false);
    expect(verifyWebhook(newWebhookSecret(), "msg_1", 1700000000, "{}", sig)).toBe(false);
    expect(verifyWebhook(secret, "msg_1", 1700000000, "{}", `v1,AAAA ${sig}`)).toBe(true);
    expect(verifyWebhook(secret, "msg_1", 1700000000, "{}", sig.replace("v1,", "v2,"))).toBe(false);
  });
});

describe("webhookEventOf", () => {
  it("maps each state change to its event and ignores the rest", () => {
    expect(webhookEventOf("release.candidate", "ok")).toBe("release.deployed");
    expect(webhookEventOf("release.switch", "ok")).toBe("release.switched");
    expect(webhookEventOf("release.rollback", "ok")).toBe("release.rolledback");
    expect(webhookEventOf("release.retire", "ok")).toBe("release.retired");
    for (const a of ["deploy", "redeploy", "switch", "rollback", "retire"])
      expect(webhookEventOf(`release.${a}`, "failed")).toBe("release.failed");
    expect(webhookEventOf("drift.detected", "info")).toBe("drift.new");
    expect(webhookEventOf("drift.resolved", "info")).toBe("drift.resolved");
    expect(webhookEventOf("quarantine.start", "info")).toBe("quarantine.created");
    expect(webhookEventOf("quarantine.warning", "info")).toBe("quarantine.warning");
    expect(webhookEventOf("quarantine.destroy", "ok")).toBe("quarantine.destroyed");
    expect(webhookEventOf("quarantine.destroy", "failed")).toBeNull();
    expect(webhookEventOf("quarantine.cancel", "ok")).toBe("quarantine.cancelled");
    expect(webhookEventOf("login", "failed")).toBeNull();
    expect(webhookEventOf("webhook.create", "ok")).toBeNull();
    expect(webhookEventOf("release.discard", "ok")).toBeNull();
  });

  it("gives every event a CDEvents type", () => {
    for (const e of WEBHOOK_EVENTS) expect(CDEVENT_TYPES[e]).toMatch(/^dev\.cdevents(x\.switchyard-[a-z]+)?\.[a-z.]+\.\d+\.\d+\.\d+$/);
  });
});

describe("afterFailure", () => {
  const now = new Date(1_000_000);
  it("waits the schedule's delay after each failed attempt, then gives up", () => {
    expect(afterFailure(1, [5, 30], now)).toEqual({ status: "pending", nextAttemptAt: new Date(1_005_000) });
    expect(afterFailure(2, [5, 30], now)).toEqual({ status: "pending", nextAttemptAt: new Date(1_030_000) });
    expect(afterFailure(3, [5, 30], now)).toEqual({ status: "failed" });
  });
});

describe("webhookPayload", () => {
  it("is a Standard Webhooks envelope around a CDEvent with old and new digests", () => {
    const body = JSON.parse(
      webhookPayload({
        event: "release.switched",
        messageId: "msg_abc",
        at: new Date("2026-12-02T10:00:00Z"),
        source: "switchyard://lab",
        releaseLog: {
          id: 7,
          actor: "alice",
          outcome: "ok",
          action: "release.switch",
          message: "release 3 live",
          service: "web",
          host: null,
          container: null,
          detail: { ms: 20 },
        },
        release: { number: 3, imageRef: "127.0.0.1:5000/web:1.1.0", imageDigest: "sha256:bbb" },
        previous: { number: 2, imageRef: "127.0.0.1:5000/web:1.0.0", imageDigest: "sha256:aaa" },
        changedSpecFields: ["image", "env.LOG_LEVEL"],
      }),
    );
    expect(body).toMatchObject({
      type: "release.switched",
      timestamp: "2026-12-02T10:00:00.000Z",
      data: {
        cdevent: {
          context: { id: "msg_abc", type: "dev.cdevents.service.upgraded.0.2.0", source: "switchyard://lab" },
          subject: { id: "service/web", content: { artifactId: "pkg:oci/web@sha256%3Abbb?repository_url=127.0.0.1%3A5000%2Fweb" } },
        },
        service: "web",
        release: 3,
        previousRelease: 2,
        image: { old: { digest: "sha256:aaa", release: 2 }, new: { digest: "sha256:bbb", release: 3 } },
        changedSpecFields: ["image", "env.LOG_LEVEL"],
        actor: "alice",
        releaseLogEvent: { id: 7, action: "release.switch" },
      },
    });
  });

  it("names an OCI artifact by digest, never by tag", () => {
    expect(ociPurl("reg:5000/team/app:latest", "sha256:1")).toBe("pkg:oci/app@sha256%3A1?repository_url=reg%3A5000%2Fteam%2Fapp");
    expect(ociPurl("app@sha256:2", "sha256:2")).toBe("pkg:oci/app@sha256%3A2?repository_url=app");
    expect(ociPurl("app:1", null)).toBeNull();
    expect(ociPurl("reg/app:1", "reg/app@sha256:3")).toBe("pkg:oci/app@sha256%3A3?repository_url=reg%2Fapp");
  });
});

describe("WebhookInput", () => {
  const bad = (input: unknown) => {
    const r = WebhookInput.safeParse(input);
    return r.success ? null : r.error.issues.map((i) => i.message).join("; ");
  };
  it("takes an http(s) URL and known events, each once", () => {
    expect(bad({ url: "https://hooks.example.com/x", events: ["release.switched", "drift.new"] })).toBeNull();
    expect(bad({ url: "ftp://x/y", events: ["release.switched"] })).toMatch(/http/);
    expect(bad({ url: "not a url", events: ["release.switched"] })).toMatch(/not a valid URL/);
    expect(bad({ url: "https://u:p@x/", events: ["release.switched"] })).toMatch(/user or password/);
    expect(bad({ url: "https://x/", events: [] })).toMatch(/at least one/);
    expect(bad({ url: "https://x/", events: ["release.exploded"] })).toMatch(/events: each one of/);
    expect(bad({ url: "https://x/", events: ["drift.new", "drift.new"] })).toMatch(/each event once/);
    expect(bad({ url: "https://x/", events: ["drift.new"], secret: "mine" })).not.toBeNull();
    expect(WebhookPatch.safeParse({}).success).toBe(false);
  });
});

describe("maskedWebhookUrl", () => {
  it("keeps only the origin in what viewers can read: many receivers carry their secret in the path or query", () => {
    expect(maskedWebhookUrl("https://hooks.slack.com/services/T000/B000/XXXXSECRET")).toBe("https://hooks.slack.com/…");
    expect(maskedWebhookUrl("https://ci.example/hook?token=abc")).toBe("https://ci.example/…");
    expect(maskedWebhookUrl("http://127.0.0.1:9000/")).toBe("http://127.0.0.1:9000/");
  });
});
