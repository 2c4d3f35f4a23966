import { NextResponse } from "next/server";
import { IdParam } from "@/server/http/params";
import { route } from "@/server/http/route";
import { WebhookPatch } from "@/server/webhooks/webhookInput";
import { updateWebhook } from "@/server/webhooks/updateWebhook";
import { deleteWebhook } from "@/server/webhooks/deleteWebhook";

export const PATCH = route({ role: "admin", params: IdParam, body: WebhookPatch }, ({ actor, params, body }) =>
  NextResponse.json({ webhook: updateWebhook(actor, params.id, body) }),
);

export const DELETE = route({ role: "admin", params: IdParam }, ({ actor, params }) => NextResponse.json(deleteWebhook(actor, params.id)));
