import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { listHostRows } from "@/server/hosts/hostRegistry";
import { hostView } from "@/server/hosts/hostView";
import { createHost } from "@/server/hosts/createHost";
import { HostInput } from "@/server/hosts/hostInput";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer" }, () => NextResponse.json({ hosts: listHostRows().map(hostView) }));

export const POST = route({ role: "admin", body: HostInput }, ({ actor, body }) =>
  NextResponse.json({ host: createHost(actor, body) }, { status: 201 }),
);
