import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { ContainerParams } from "@/server/drift/driftInput";
import { containerDetail } from "@/server/drift/containerDetail";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: ContainerParams }, ({ params }) =>
  NextResponse.json(containerDetail(params.host, params.container)),
);
