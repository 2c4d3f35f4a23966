import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** A new signing secret as the Standard Webhooks spec writes them: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

function keyOf(secret: string): Buffer {
  if (!secret.startsWith("whsec_")) throw new Error("a webhook secret starts with whsec_");
  return Buffer.from(secret.slice("whsec_".length), "base64");
}

/**
 * The `webhook-signature` header value: `v1,` + base64 HMAC-SHA256, keyed with
 * the secret's decoded bytes, over `${webhook-id}.${webhook-timestamp}.${body}`.
 */
export function signWebhook(secret: string, messageId: string, timestampS: number, body: string): string {
  const mac = createHmac("sha256", keyOf(secret)).update(`${messageId}.${timestampS}.${body}`).digest("base64");
  return `v1,${mac}`;
}

/** What a receiver does: true when one of the space-separated v1 signatures matches. */
export function verifyWebhook(secret: string, messageId: string, timestampS: number, body: string, header: string): boolean {
  const expected = Buffer.from(signWebhook(secret, messageId, timestampS, body).slice(3), "base64");
  return header.split(" ").some((part) => {
    const [version, value] = part.split(",", 2);
    if (version !== "v1" || !value) return false;
    const given = Buffer.from(value, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
