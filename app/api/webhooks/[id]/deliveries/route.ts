import { NextResponse } from "next/server";
import { IdParam } from "@/server/http/params";
import { route } from "@/server/http/route";
import { notFound } from "@/server/errors";
import { webhookRow } from "@/server/webhooks/webhookRows";
import { listDeliveries } from "@/server/webhooks/webhookViews";

export const dynamic = "force-dynamic";

export const GET = route({ role: "admin", params: IdParam }, ({ params }) => {
  if (!webhookRow(params.id)) throw notFound(`Webhook ${params.id}`);
  return NextResponse.json({ deliveries: listDeliveries(params.id) });
});
