import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { ApiTokenInput } from "@/server/auth/apiTokenInput";
import { createApiToken } from "@/server/auth/createApiToken";
import { listApiTokens } from "@/server/auth/listApiTokens";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, ({ actor }) => NextResponse.json({ tokens: listApiTokens(actor) }));

/** The secret is in this response only; it cannot be read again. */
export const POST = route({ role: "viewer", body: ApiTokenInput }, ({ actor, body }) =>
  NextResponse.json(createApiToken(actor, body), { status: 201 }),
);
