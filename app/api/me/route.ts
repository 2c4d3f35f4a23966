import { NextResponse } from "next/server";
import { route } from "@/server/http/route";

export const GET = route({ role: "viewer" }, ({ actor }) =>
  NextResponse.json({ username: actor.username, role: actor.role, via: actor.via }),
);
