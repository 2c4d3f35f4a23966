import { NextResponse } from "next/server";
import { IdParam } from "@/server/http/params";
import { route } from "@/server/http/route";
import { IgnoreRulePatch } from "@/server/drift/driftInput";
import { deleteIgnoreRule, updateIgnoreRule } from "@/server/drift/ignoreRuleChanges";

export const PATCH = route({ role: "admin", params: IdParam, body: IgnoreRulePatch }, ({ actor, params, body }) =>
  NextResponse.json({ rule: updateIgnoreRule(actor, params.id, body) }),
);

export const DELETE = route({ role: "admin", params: IdParam }, ({ actor, params }) => {
  deleteIgnoreRule(actor, params.id);
  return NextResponse.json({ deleted: params.id });
});
