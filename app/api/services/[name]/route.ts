import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { ServiceParam } from "@/server/http/params";
import { serviceOverview } from "@/server/services/serviceOverview";
import { deleteRoutedService, updateRoutedService } from "@/server/routing/managed/saveRoutedService";
import { ServiceSpec, type ServiceSpecInput } from "@/server/services/serviceSpecInput";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: ServiceParam }, async ({ params }) =>
  NextResponse.json(await serviceOverview(params.name)),
);

export const PUT = route({ role: "operator", params: ServiceParam, body: ServiceSpec }, async ({ actor, params, body }) =>
  NextResponse.json({ service: await updateRoutedService(actor, params.name, body as ServiceSpecInput) }),
);

export const DELETE = route({ role: "admin", params: ServiceParam }, async ({ actor, params }) =>
  NextResponse.json({ ok: true, ...(await deleteRoutedService(actor, params.name)) }),
);
