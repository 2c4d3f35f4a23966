import { NextResponse } from "next/server";
import { IdParam } from "@/server/http/params";
import { route } from "@/server/http/route";
import { hostRow } from "@/server/hosts/hostRegistry";
import { hostView } from "@/server/hosts/hostView";
import { updateHost } from "@/server/hosts/updateHost";
import { deleteHost } from "@/server/hosts/deleteHost";
import { HostPatch } from "@/server/hosts/hostInput";

export const GET = route({ role: "viewer", params: IdParam }, ({ params }) => NextResponse.json({ host: hostView(hostRow(params.id)) }));

export const PATCH = route({ role: "admin", params: IdParam, body: HostPatch }, ({ actor, params, body }) =>
  NextResponse.json({ host: updateHost(actor, params.id, body) }),
);

export const DELETE = route({ role: "admin", params: IdParam }, ({ actor, params }) => {
  deleteHost(actor, params.id);
  return NextResponse.json({ ok: true });
});
