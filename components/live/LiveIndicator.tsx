"use client";
import { useLiveState } from "./LiveStreamProvider";

const LOOK = {
  live: { dot: "bg-emerald-500", text: "text-emerald-700", label: "live", title: "Changes arrive as they happen." },
  connecting: { dot: "bg-slate-400", text: "text-slate-500", label: "connecting", title: "Opening the live stream…" },
  reconnecting: {
    dot: "bg-amber-500 animate-pulse",
    text: "text-amber-700",
    label: "reconnecting",
    title: "The live stream dropped: pages poll every few seconds until it is back.",
  },
} as const;

/** A small dot in the header: whether pages are fed by the live stream or polling as a fallback. */
export function LiveIndicator() {
  const { status, lastEventId } = useLiveState();
  const look = LOOK[status];
  return (
    <span
      className={`inline-flex items-center gap-1.5 text-xs ${look.text}`}
      title={look.title}
      data-testid="live-indicator"
      data-status={status}
      data-last-event-id={lastEventId ?? ""}
      role="status"
    >
      <span className={`h-2 w-2 rounded-full ${look.dot}`} aria-hidden />
      {look.label}
    </span>
  );
}
