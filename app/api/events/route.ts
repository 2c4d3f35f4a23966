import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { listEvents, EventsQuery } from "@/server/releaseLog/listEvents";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", query: EventsQuery }, ({ query, actor }) => {
  const events = listEvents(query, actor.role);
  if (query.format === "json") {
    return new Response(JSON.stringify(events, null, 2), {
      headers: { "content-type": "application/json", "content-disposition": `attachment; filename="switchyard-release-log.json"` },
    });
  }
  return NextResponse.json({ events });
});
