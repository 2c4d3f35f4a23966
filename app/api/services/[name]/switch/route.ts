import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { EmptyBody, ServiceParam } from "@/server/http/params";
import { switchTraffic } from "@/server/releases/switchTraffic";

export const POST = route({ role: "operator", params: ServiceParam, body: EmptyBody }, async ({ actor, params }) =>
  NextResponse.json(await switchTraffic(actor, params.name, "switch")),
);
