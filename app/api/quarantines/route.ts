import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { WaitQuery } from "@/server/http/params";
import { operationWithSteps } from "@/server/operations/operationLog";
import { quarantineContainer } from "@/server/quarantine/quarantineContainer";
import { QuarantineInput } from "@/server/quarantine/quarantineInput";
import { quarantineDetail, quarantineOverview } from "@/server/quarantine/quarantineView";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, async () => NextResponse.json(await quarantineOverview()));

/** Quarantine a container. `?wait=true` answers when the operation (out of traffic, replacement, rename) ends. */
export const POST = route({ role: "operator", body: QuarantineInput, query: WaitQuery }, async ({ actor, body, query }) => {
  const { quarantineId, operationId, done } = await quarantineContainer(actor, body);
  if (query.wait) await done;
  const { quarantine } = await quarantineDetail(quarantineId);
  return NextResponse.json({ quarantine, operation: operationWithSteps(operationId) }, { status: query.wait ? 200 : 202 });
});
