import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { ChangesQuery, ContainerParams } from "@/server/drift/driftInput";
import { containerChanges } from "@/server/drift/containerDetail";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: ContainerParams, query: ChangesQuery }, ({ params, query }) =>
  NextResponse.json(containerChanges(params.host, params.container, query)),
);
