import { NextResponse } from "next/server";
import { IdParam } from "@/server/http/params";
import { route } from "@/server/http/route";
import { hostContainers } from "@/server/fleet/hostContainers";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", params: IdParam }, async ({ params }) => NextResponse.json(await hostContainers(params.id)));
