import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { createRoutedService } from "@/server/routing/managed/saveRoutedService";
import { listServices } from "@/server/services/listServices";
import { ServiceSpec, type ServiceSpecInput } from "@/server/services/serviceSpecInput";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, () => NextResponse.json({ services: listServices() }));

/** Admin only: a new service claims HAProxy backends (server/services/backendOwnership.ts). */
export const POST = route({ role: "admin", body: ServiceSpec }, async ({ actor, body }) =>
  NextResponse.json({ service: await createRoutedService(actor, body as ServiceSpecInput) }, { status: 201 }),
);
