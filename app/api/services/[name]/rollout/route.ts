import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { EmptyBody, ServiceParam } from "@/server/http/params";
import { rolloutView } from "@/server/rollouts/rolloutView";
import { startRollout } from "@/server/rollouts/startRollout";

/** The service's latest rollout: plan, current step, time left, shares and the gate's measurements. */
export const GET = route({ role: "viewer", params: ServiceParam }, ({ params }) => NextResponse.json(rolloutView(params.name)));

/** Start the spec's rollout on the candidate; answers at once (202), the steps run server-side. */
export const POST = route({ role: "operator", params: ServiceParam, body: EmptyBody }, async ({ actor, params }) => {
  const { operationId, rolloutId } = await startRollout(actor, params.name);
  return NextResponse.json({ operationId, rolloutId, ...rolloutView(params.name) }, { status: 202 });
});
