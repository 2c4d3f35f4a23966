import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { ServiceParam } from "@/server/http/params";
import { serviceTraffic } from "@/server/live/serviceTraffic";
import { TrafficQuery } from "@/server/live/trafficInput";

export const dynamic = "force-dynamic";

/** Requests/s, 5xx/s and response time per release side over 15 min, 1 h or 24 h, with the switch, rollback and deploy moments. */
export const GET = route({ role: "viewer", params: ServiceParam, query: TrafficQuery }, ({ params, query }) =>
  NextResponse.json(serviceTraffic(params.name, query)),
);
