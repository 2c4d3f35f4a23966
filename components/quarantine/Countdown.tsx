"use client";
import { useEffect, useState } from "react";
import { formatSeconds } from "@/server/quarantine/constants";

/** The server's clock as this browser sees it (offsetMs from the last fetch), re-rendered every second. */
export function useServerNow(offsetMs: number): number {
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  useEffect(() => {
    setNow(Date.now() + offsetMs);
    const t = setInterval(() => setNow(Date.now() + offsetMs), 1000);
    return () => clearInterval(t);
  }, [offsetMs]);
  return now;
}

/** "4m 12s" until `at`, or "0s" once passed. */
export function Countdown({ at, now }: { at: number; now: number }) {
  return (
    <time
      dateTime={new Date(at).toISOString()}
      title={new Date(at).toLocaleString()}
      className="font-mono tabular-nums"
      data-testid="countdown"
    >
      {formatSeconds(Math.max(0, Math.ceil((at - now) / 1000)))}
    </time>
  );
}
