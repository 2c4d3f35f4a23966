import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { EmptyBody, ServiceParam, WaitQuery } from "@/server/http/params";
import { deployRelease } from "@/server/releases/deployRelease";
import { operationWithSteps } from "@/server/operations/operationLog";

/** Redeploy: a new release with the live release's digest and spec; fresh containers. */
export const POST = route(
  { role: "operator", params: ServiceParam, body: EmptyBody, query: WaitQuery },
  async ({ actor, params, query }) => {
    const { operationId, done } = deployRelease(actor, params.name, "redeploy", null);
    if (query.wait) await done;
    return NextResponse.json({ operation: operationWithSteps(operationId) }, { status: query.wait ? 200 : 202 });
  },
);
