import { NextResponse } from "next/server";
import { EmptyBody, IdParam } from "@/server/http/params";
import { route } from "@/server/http/route";
import { destroyNow } from "@/server/quarantine/destroyNow";
import { quarantineDetail } from "@/server/quarantine/quarantineView";

/** Destroy now: forensic bundle, then stop and remove. */
export const POST = route({ role: "operator", params: IdParam, body: EmptyBody }, async ({ actor, params }) => {
  const { message } = await destroyNow(actor, params.id);
  return NextResponse.json({ ...(await quarantineDetail(params.id)), message });
});
