import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { EmptyBody, ServiceParam } from "@/server/http/params";
import { smokeTestCandidate } from "@/server/releases/smokeTestCandidate";

export const POST = route({ role: "operator", params: ServiceParam, body: EmptyBody }, async ({ actor, params }) =>
  NextResponse.json(await smokeTestCandidate(actor, params.name)),
);
