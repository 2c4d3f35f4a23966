import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { EmptyBody, ServiceParam } from "@/server/http/params";
import { abortRollout } from "@/server/rollouts/abortRollout";
import { rolloutView } from "@/server/rollouts/rolloutView";

export const POST = route({ role: "operator", params: ServiceParam, body: EmptyBody }, async ({ actor, params }) => {
  await abortRollout(actor, params.name);
  return NextResponse.json(rolloutView(params.name));
});
