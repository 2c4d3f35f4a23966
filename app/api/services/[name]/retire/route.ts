import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { EmptyBody, ServiceParam } from "@/server/http/params";
import { retireStandby } from "@/server/releases/retireStandby";

export const POST = route({ role: "operator", params: ServiceParam, body: EmptyBody }, async ({ actor, params }) =>
  NextResponse.json(await retireStandby(actor, params.name)),
);
