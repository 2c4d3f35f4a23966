import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { EmptyBody, ServiceParam } from "@/server/http/params";
import { pauseRollout } from "@/server/rollouts/pauseRollout";
import { rolloutView } from "@/server/rollouts/rolloutView";

export const POST = route({ role: "operator", params: ServiceParam, body: EmptyBody }, async ({ actor, params }) => {
  await pauseRollout(actor, params.name);
  return NextResponse.json(rolloutView(params.name));
});
