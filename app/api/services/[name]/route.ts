import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { ServiceParam } from "@/server/http/params";
import { serviceOverview } from "@/server/services/serviceOverview";
import { updateService } from "@/server/services/saveService";
import { deleteService } from "@/server/services/deleteService";
import { ServiceSpec, type ServiceSpecInput } from "@/server/services/serviceSpecInput";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: ServiceParam }, async ({ params }) =>
  NextResponse.json(await serviceOverview(params.name)),
);

export const PUT = route({ role: "operator", params: ServiceParam, body: ServiceSpec }, ({ actor, params, body }) =>
  NextResponse.json({ service: updateService(actor, params.name, body as ServiceSpecInput) }),
);

export const DELETE = route({ role: "admin", params: ServiceParam }, ({ actor, params }) => {
  deleteService(actor, params.name);
  return NextResponse.json({ ok: true });
});
