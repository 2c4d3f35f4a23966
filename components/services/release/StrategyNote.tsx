import type { StrategyView } from "@/server/services/strategyView";

/** The gap as the page shows it: "1.8 s". */
const formatGap = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Which strategy changes the service's releases. Recreate: the measured gap
 * of the last change (old containers stopping → new ones passing the gate).
 * Blue-green with volumes: both releases write the same volumes at once.
 */
export function StrategyNote({ strategy }: { strategy: StrategyView }) {
  if (strategy.name === "recreate") {
    return (
      <p className="text-sm text-slate-600" data-testid="strategy">
        Strategy: recreate — {strategy.lastGapMs === null ? "no change measured yet" : `last gap ${formatGap(strategy.lastGapMs)}`}
        <span className="text-slate-400">
          {" "}
          (the live containers stop before the new ones start on the same ports and volumes; the stopped ones are kept for rollback)
        </span>
      </p>
    );
  }
  return (
    <div className="space-y-1" data-testid="strategy">
      <p className="text-sm text-slate-600">Strategy: blue-green</p>
      {strategy.volumesWrittenByBoth && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" role="alert">
          This service has volumes and uses blue-green: during a deploy and until the old release is retired, both releases run and write
          the same volume at once. If the program needs a single writer (a database), set <code>strategy: recreate</code>.
        </p>
      )}
    </div>
  );
}
