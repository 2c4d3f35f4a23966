import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { fetchHostKey } from "@/server/hosts/fetchHostKey";
import { HostKeyRequest } from "@/server/hosts/hostInput";

export const dynamic = "force-dynamic";

/** Reads an SSH server's host key for an admin to confirm; stores nothing. */
export const POST = route({ role: "admin", body: HostKeyRequest }, async ({ actor, body }) =>
  NextResponse.json({ hostKey: await fetchHostKey(actor, body) }),
);
