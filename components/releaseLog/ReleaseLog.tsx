"use client";
import { useEffect, useState } from "react";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { TimeAgo } from "@/components/ui/TimeAgo";
import { EventRow } from "./EventRow";
import { actionError, eventsQuery, LogFilters, NO_FILTERS, type LogFilterValues } from "./LogFilters";
import { eventsPagesQuery } from "./queries";
import { useLivePolling } from "@/components/live/LiveStreamProvider";

const PAGE = 100;
const EXPORT_LIMIT = 5000;

/** Applies typed filters after a short pause, and mirrors them in the address bar. */
function useAppliedFilters(draft: LogFilterValues): LogFilterValues {
  const [applied, setApplied] = useState(() => (actionError(draft.action) ? { ...draft, action: "" } : draft));
  useEffect(() => {
    if (actionError(draft.action)) return;
    const t = setTimeout(() => {
      setApplied(draft);
      const qs = eventsQuery(draft);
      window.history.replaceState(null, "", qs ? `/log?${qs}` : "/log");
    }, 350);
    return () => clearTimeout(t);
  }, [draft]);
  return applied;
}

/** The append-only release log: newest first, filterable, live, with older pages on demand. */
export function ReleaseLog({ initialFilters }: { initialFilters: LogFilterValues }) {
  const [draft, setDraft] = useState(initialFilters);
  const filters = useAppliedFilters(draft);
  const [live, setLive] = useState(true);
  const [open, setOpen] = useState<Set<number>>(() => new Set());
  const poll = useLivePolling(5000);
  const q = useInfiniteQuery({
    ...eventsPagesQuery(filters, PAGE),
    refetchInterval: live ? poll : false,
    placeholderData: keepPreviousData,
  });
  // Pages are cut by id, so they should not overlap; a refetch racing a new event is de-duplicated anyway.
  const byId = new Map((q.data?.pages ?? []).flatMap((p) => p.events).map((e) => [e.id, e]));
  const events = [...byId.values()];
  const filtered = filters.service !== "" || filters.actor !== "" || filters.action !== "";
  const toggle = (id: number) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">Release log</h1>
        {q.data && (
          <p className="text-sm text-slate-500">
            {events.length}
            {q.hasNextPage ? "+" : ""} event{events.length === 1 ? "" : "s"} · updated <TimeAgo at={q.dataUpdatedAt} />
          </p>
        )}
        <div className="ml-auto flex items-center gap-3 self-center text-sm">
          <label className="flex items-center gap-1.5 text-slate-600" title="Refresh every 5 seconds">
            <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} className="size-4 rounded border-slate-300" />
            Live
          </label>
          <a
            href={`/api/events?${eventsQuery(filters, { format: "json", limit: EXPORT_LIMIT })}`}
            download
            title={`Up to ${EXPORT_LIMIT} newest events matching the filters`}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50"
          >
            Export JSON
          </a>
        </div>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <LogFilters value={draft} onChange={setDraft} />
      </div>
      <ErrorBox error={q.error} />
      {q.isPending && <p className="text-slate-500">Reading the log…</p>}
      {q.data && events.length === 0 && (
        <div className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600" data-testid="log-empty">
          {filtered ? (
            <>
              No events match these filters.{" "}
              <button onClick={() => setDraft(NO_FILTERS)} className="text-blue-700 underline">
                Clear filters
              </button>
            </>
          ) : (
            "Nothing logged yet. Deploys, switches, rollbacks, spec changes and logins show up here."
          )}
        </div>
      )}
      {events.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full text-sm" data-testid="events-table">
            <thead className="bg-slate-50 text-left text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                <th className="px-3 py-2">Time</th>
                <th className="px-3 py-2">Actor</th>
                <th className="px-3 py-2">Action</th>
                <th className="px-3 py-2">Outcome</th>
                <th className="px-3 py-2">Service</th>
                <th className="px-3 py-2">Release</th>
                <th className="px-3 py-2">Message</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((e) => (
                <EventRow key={e.id} e={e} open={open.has(e.id)} onToggle={() => toggle(e.id)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {q.hasNextPage && (
        <div className="text-center">
          <button
            onClick={() => void q.fetchNextPage()}
            disabled={q.isFetchingNextPage}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-40"
          >
            {q.isFetchingNextPage ? "Loading…" : "Load older"}
          </button>
        </div>
      )}
      {q.data && events.length > 0 && !q.hasNextPage && <p className="text-center text-xs text-slate-400">Start of the log.</p>}
    </section>
  );
}
