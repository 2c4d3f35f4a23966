import { NextResponse } from "next/server";
import { z } from "zod";
import { route } from "@/server/http/route";
import { ServiceParam } from "@/server/http/params";
import { switchTraffic } from "@/server/releases/switchTraffic";

export const POST = route({ role: "operator", params: ServiceParam, body: z.object({}).strict() }, async ({ actor, params }) =>
  NextResponse.json(await switchTraffic(actor, params.name, "rollback")),
);
