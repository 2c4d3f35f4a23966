import "server-only";
import { serviceEventsBetween } from "@/server/releaseLog/eventRows";
import { releasesOf } from "@/server/releases/releaseRows";
import { serviceByName } from "@/server/services/serviceRows";
import type { TrafficQuery } from "./trafficInput";
import { releaseBuckets } from "./trafficRows";
import { buildMarkers, buildSeries, MARKER_ACTIONS, trafficWindow } from "./trafficSeries";

/** The service's traffic history for the charts: a series per release side and the switch/rollback/deploy markers. SQLite only. */
export function serviceTraffic(name: string, query: TrafficQuery, now = Date.now()) {
  const service = serviceByName(name);
  const window = trafficWindow(query.range, now);
  const releases = releasesOf(service.id, 50).map((r) => ({ number: r.number, status: r.status }));
  const events = serviceEventsBetween(service.name, Object.keys(MARKER_ACTIONS), new Date(window.from), new Date(now));
  return {
    range: query.range,
    /** The time axis: from `from` to `now`; points are `stepS` apart and reach the last closed 10 s bucket. */
    from: window.from,
    now,
    stepS: window.stepS,
    sides: buildSeries(releaseBuckets(service.name, window.from, window.to), window, releases),
    markers: buildMarkers(
      events.map((e) => ({ at: e.at.getTime(), action: e.action, outcome: e.outcome, releaseNumber: e.releaseNumber })),
      { from: window.from, to: now },
    ),
  };
}
export type ServiceTrafficView = ReturnType<typeof serviceTraffic>;
