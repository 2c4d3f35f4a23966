import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { WebhookInput } from "@/server/webhooks/webhookInput";
import { createWebhook } from "@/server/webhooks/createWebhook";
import { listWebhooks } from "@/server/webhooks/webhookViews";

export const dynamic = "force-dynamic";

export const GET = route({ role: "admin" }, () => NextResponse.json({ webhooks: listWebhooks() }));

/** The signing secret is in this response only; it cannot be read again. */
export const POST = route({ role: "admin", body: WebhookInput }, ({ actor, body }) =>
  NextResponse.json(createWebhook(actor, body), { status: 201 }),
);
