/** One monotonic clock for everything the benchmark records (ms since the process started, sub-ms resolution). */
import { performance } from "node:perf_hooks";
import { setTimeout } from "node:timers/promises";

export const now = (): number => performance.now();

/** Wall-clock epoch ms of a `now()` value (for the JSON report). */
export const epochOf = (t: number): number => performance.timeOrigin + t;

export const sleep = (ms: number): Promise<void> => setTimeout(Math.max(0, ms));

export const round = (x: number | null | undefined, digits = 1): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits;
