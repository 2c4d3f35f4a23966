import { NextResponse } from "next/server";
import { IdParam } from "@/server/http/params";
import { route } from "@/server/http/route";
import { revokeApiToken } from "@/server/auth/revokeApiToken";

export const DELETE = route({ role: "viewer", params: IdParam }, ({ actor, params }) =>
  NextResponse.json({ apiToken: revokeApiToken(actor, params.id) }),
);
