import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { managedRoutingView } from "@/server/routing/managed/managedRoutingView";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, () => NextResponse.json(managedRoutingView()));
