import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { ServiceParam } from "@/server/http/params";
import { ShiftInput } from "@/server/releases/shiftInput";
import { shiftTraffic } from "@/server/releases/shiftTraffic";

export const POST = route({ role: "operator", params: ServiceParam, body: ShiftInput }, async ({ actor, params, body }) =>
  NextResponse.json(await shiftTraffic(params.name, body.weight, actor)),
);
