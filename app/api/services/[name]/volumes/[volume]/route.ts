import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { deleteServiceVolume } from "@/server/volumes/deleteServiceVolume";
import { ServiceVolumeParams, VolumeHostQuery } from "@/server/volumes/volumeInput";

export const DELETE = route({ role: "admin", params: ServiceVolumeParams, query: VolumeHostQuery }, async ({ actor, params, query }) =>
  NextResponse.json(await deleteServiceVolume(actor, params.name, params.volume, query.host)),
);
