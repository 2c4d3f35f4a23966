import { NextResponse } from "next/server";
import { EmptyBody } from "@/server/http/params";
import { route } from "@/server/http/route";
import { DeliveryParams } from "@/server/webhooks/webhookInput";
import { redeliverWebhook } from "@/server/webhooks/redeliverWebhook";

export const POST = route({ role: "admin", params: DeliveryParams, body: EmptyBody }, ({ actor, params }) =>
  NextResponse.json(redeliverWebhook(actor, params.id, params.deliveryId), { status: 202 }),
);
