import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { ScanIdParam } from "@/server/drift/driftInput";
import { scanStatus } from "@/server/drift/scanStatus";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: ScanIdParam }, ({ params }) => NextResponse.json(scanStatus(params.id)));
