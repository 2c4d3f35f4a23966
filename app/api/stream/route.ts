import { route } from "@/server/http/route";
import { liveBus } from "@/server/live/liveBus";
import { liveStreamResponse } from "@/server/live/liveStream";
import { StreamQuery } from "@/server/live/streamInput";

export const dynamic = "force-dynamic";

export const GET = route({ role: "viewer", query: StreamQuery }, ({ req, actor, query }) =>
  liveStreamResponse({
    bus: liveBus(),
    actor,
    topics: query.topics,
    lastEventId: req.headers.get("last-event-id") ?? query.lastEventId ?? null,
    signal: req.signal,
  }),
);
