import { NextResponse } from "next/server";
import { IdParam } from "@/server/http/params";
import { route } from "@/server/http/route";
import { extendQuarantine } from "@/server/quarantine/extendQuarantine";
import { ExtendInput } from "@/server/quarantine/quarantineInput";
import { quarantineDetail } from "@/server/quarantine/quarantineView";

/** Extend the deadline (never past the maximum lifetime); each extension is recorded. */
export const POST = route({ role: "operator", params: IdParam, body: ExtendInput }, async ({ actor, params, body }) => {
  extendQuarantine(actor, params.id, body);
  return NextResponse.json(await quarantineDetail(params.id));
});
