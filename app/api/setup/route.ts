import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { createFirstAdmin, FirstAdminInput } from "@/server/auth/firstAdmin";
import { checkSameOrigin } from "@/server/http/sameOrigin";

export const POST = route({ role: "public", body: FirstAdminInput }, async ({ req, body, ip }) => {
  checkSameOrigin(req);
  await createFirstAdmin(body, ip);
  return NextResponse.json({ ok: true }, { status: 201 });
});
