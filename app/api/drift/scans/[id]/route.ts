import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { IdParam } from "@/server/http/params";
import { scanStatus } from "@/server/drift/scanStatus";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: IdParam }, ({ params }) => NextResponse.json(scanStatus(params.id)));
