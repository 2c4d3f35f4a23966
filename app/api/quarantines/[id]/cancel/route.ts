import { NextResponse } from "next/server";
import { IdParam } from "@/server/http/params";
import { route } from "@/server/http/route";
import { cancelSelfDestruct } from "@/server/quarantine/cancelSelfDestruct";
import { CancelSelfDestructInput } from "@/server/quarantine/quarantineInput";
import { quarantineDetail } from "@/server/quarantine/quarantineView";

/** Cancel self-destruct: admin only, with a reason; the container is kept with no deadline. */
export const POST = route({ role: "admin", params: IdParam, body: CancelSelfDestructInput }, async ({ actor, params, body }) => {
  await cancelSelfDestruct(actor, params.id, body);
  return NextResponse.json(await quarantineDetail(params.id));
});
