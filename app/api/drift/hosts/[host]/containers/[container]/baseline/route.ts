import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { EmptyBody } from "@/server/http/params";
import { ContainerParams } from "@/server/drift/driftInput";
import { baselineContainer } from "@/server/drift/baselineContainer";

/** Turns the container's current filesystem findings into ignore rules for its service. */
export const POST = route({ role: "admin", params: ContainerParams, body: EmptyBody }, ({ actor, params }) =>
  NextResponse.json(baselineContainer(actor, params.host, params.container), { status: 201 }),
);
