import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { createUser } from "@/server/users/createUser";
import { listUsers } from "@/server/users/listUsers";
import { UserInput } from "@/server/users/userInput";

export const dynamic = "force-dynamic";

export const GET = route({ role: "admin" }, () => NextResponse.json({ users: listUsers() }));

/** Only from a browser session: a token must not mint accounts (it could then mint tokens). */
export const POST = route({ role: "admin", body: UserInput, sessionOnly: true }, async ({ actor, body }) =>
  NextResponse.json({ user: await createUser(actor, body) }, { status: 201 }),
);
