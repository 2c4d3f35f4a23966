import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { IgnoreRuleInput } from "@/server/drift/driftInput";
import { ignoreRuleRows, ruleView } from "@/server/drift/ignoreRuleRows";
import { createIgnoreRules } from "@/server/drift/ignoreRuleChanges";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, () => NextResponse.json({ rules: ignoreRuleRows().map(ruleView) }));

export const POST = route({ role: "admin", body: IgnoreRuleInput }, ({ actor, body }) => {
  const [rule] = createIgnoreRules(actor, [body]);
  return NextResponse.json({ rule }, { status: 201 });
});
