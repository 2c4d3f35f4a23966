import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { HostParam } from "@/server/drift/driftInput";
import { hostReport } from "@/server/drift/driftReport";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: HostParam }, ({ params }) => NextResponse.json(hostReport(params.host)));
