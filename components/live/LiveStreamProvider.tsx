"use client";
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import type { LiveWireMessage } from "@/server/live/liveMessage";
import { applyLiveMessage } from "./applyLiveMessage";

export type LiveStatus = "connecting" | "live" | "reconnecting";
type LiveState = { status: LiveStatus; lastEventId: string | null };

const LiveContext = createContext<LiveState>({ status: "connecting", lastEventId: null });

/** Polling while the stream is connected: a safety net only, the stream brings the changes. */
export const LIVE_POLL_MS = 30_000;
/** After the browser gives up on a connection (an HTTP error, not a dropped one), try a new one this much later. */
const REOPEN_MS = 3000;

/**
 * One EventSource per tab (GET /api/stream): every message updates the query
 * caches (applyLiveMessage). A dropped connection is resumed with Last-Event-ID
 * (the browser does it; after an HTTP error we open a new one with the id);
 * "reset" means the server no longer has what we missed, so every query is refetched.
 */
export function LiveStreamProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [state, setState] = useState<LiveState>({ status: "connecting", lastEventId: null });
  useEffect(() => {
    let es: EventSource | null = null;
    let lastId: string | null = null;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const seen = (e: MessageEvent, status: LiveStatus = "live") => {
      if (e.lastEventId) lastId = e.lastEventId;
      setState({ status, lastEventId: lastId });
    };
    const open = () => {
      es = new EventSource(lastId ? `/api/stream?lastEventId=${encodeURIComponent(lastId)}` : "/api/stream");
      es.addEventListener("hello", (e) => seen(e));
      es.addEventListener("reset", (e) => {
        seen(e);
        void qc.invalidateQueries();
      });
      es.onmessage = (e: MessageEvent<string>) => {
        seen(e);
        applyLiveMessage(qc, JSON.parse(e.data) as LiveWireMessage);
      };
      es.onerror = () => {
        setState((s) => ({ ...s, status: "reconnecting" }));
        if (es?.readyState === EventSource.CLOSED && !stopped) {
          es = null;
          reopen = setTimeout(open, REOPEN_MS);
        }
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(reopen);
      es?.close();
    };
  }, [qc]);
  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

export function useLiveState(): LiveState {
  return useContext(LiveContext);
}

/** A page's polling interval: `ms` while the stream is down (the fallback), LIVE_POLL_MS while it is live. */
export function useLivePolling(ms: number): number {
  return useContext(LiveContext).status === "live" ? Math.max(ms, LIVE_POLL_MS) : ms;
}
