import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { EmptyBody, ServiceParam, WaitQuery } from "@/server/http/params";
import { replaceDrifted } from "@/server/drift/replaceDrifted";
import { operationWithSteps } from "@/server/operations/operationLog";

/** Replace drifted containers: redeploy the live release, switch when healthy, retire the drifted ones. */
export const POST = route(
  { role: "operator", params: ServiceParam, body: EmptyBody, query: WaitQuery },
  async ({ actor, params, query }) => {
    const { operationId, release, containers, finished } = replaceDrifted(actor, params.name);
    const outcome = query.wait ? await finished : null;
    return NextResponse.json(
      { operation: operationWithSteps(operationId), release, containers, outcome },
      { status: query.wait ? 200 : 202 },
    );
  },
);
