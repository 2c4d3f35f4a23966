import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { ServiceParam } from "@/server/http/params";
import { listServiceVolumes } from "@/server/volumes/listServiceVolumes";

export const GET = route({ role: "viewer", params: ServiceParam }, async ({ params }) =>
  NextResponse.json(await listServiceVolumes(params.name)),
);
