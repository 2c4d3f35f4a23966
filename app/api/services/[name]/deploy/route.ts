import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { ServiceParam, WaitQuery } from "@/server/http/params";
import { deployRelease } from "@/server/releases/deployRelease";
import { operationWithSteps } from "@/server/operations/operationLog";
import { DeployInput } from "@/server/services/serviceSpecInput";

/** Deploy a version (tag, reference or digest) or replay an earlier release. `?wait=true` answers when it ends. */
export const POST = route(
  { role: "operator", params: ServiceParam, body: DeployInput, query: WaitQuery },
  async ({ actor, params, body, query }) => {
    const { operationId, done } = deployRelease(actor, params.name, "deploy", body);
    if (query.wait) await done;
    return NextResponse.json({ operation: operationWithSteps(operationId) }, { status: query.wait ? 200 : 202 });
  },
);
