import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { ServiceParam } from "@/server/http/params";
import { diffReleases, ReleaseDiffQuery } from "@/server/releases/diffReleases";

export const dynamic = "force-dynamic";

/** What changed from release `from` to release `to`: image digest and spec fields (secret values only as "changed"). */
export const GET = route({ role: "viewer", params: ServiceParam, query: ReleaseDiffQuery }, ({ params, query }) =>
  NextResponse.json({ diff: diffReleases(params.name, query.from, query.to) }),
);
