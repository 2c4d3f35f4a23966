import { NextResponse } from "next/server";
import { IdParam } from "@/server/http/params";
import { route } from "@/server/http/route";
import { deleteUser } from "@/server/users/deleteUser";
import { updateUser } from "@/server/users/updateUser";
import { UserPatch } from "@/server/users/userInput";

/** A new role and/or password; the user's sessions end. */
export const PATCH = route({ role: "admin", params: IdParam, body: UserPatch, sessionOnly: true }, async ({ actor, params, body }) =>
  NextResponse.json({ user: await updateUser(actor, params.id, body) }),
);

export const DELETE = route({ role: "admin", params: IdParam, sessionOnly: true }, ({ actor, params }) => {
  deleteUser(actor, params.id);
  return NextResponse.json({ deleted: params.id });
});
