import "server-only";
import { eventRows } from "@/server/releaseLog/eventRows";
import { gapOfEventDetail } from "@/server/releases/recreatePlan";
import type { ServiceSpec } from "./serviceSpecInput";

/** Release-log events searched for the last recreate's gap (a change writes two or three). */
const RECENT_EVENTS = 50;

/**
 * How the service changes releases, for its page: the strategy; for recreate,
 * the measured gap of the last change (kept in the release-log event's
 * detail, no column of its own); for blue-green with volumes, that both
 * releases write the same volumes at once.
 */
export function strategyView(serviceName: string, spec: ServiceSpec) {
  let lastGapMs: number | null = null;
  if (spec.strategy === "recreate") {
    for (const e of eventRows({ serviceName, action: "release.*", limit: RECENT_EVENTS })) {
      lastGapMs = e.outcome === "ok" ? gapOfEventDetail(e.detail) : null;
      if (lastGapMs !== null) break;
    }
  }
  return { name: spec.strategy, lastGapMs, volumesWrittenByBoth: spec.strategy === "blue-green" && spec.volumes.length > 0 };
}
export type StrategyView = ReturnType<typeof strategyView>;
