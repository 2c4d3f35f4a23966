import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { fleetOverview } from "@/server/fleet/fleetOverview";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, async () => NextResponse.json({ hosts: await fleetOverview() }));
