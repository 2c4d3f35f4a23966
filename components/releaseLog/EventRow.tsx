import Link from "next/link";
import { Fragment } from "react";
import { TimeAgo } from "@/components/ui/TimeAgo";
import type { ReleaseEvent } from "@/server/releaseLog/listEvents";
import { EventDetail } from "./EventDetail";
import { OutcomeBadge } from "./OutcomeBadge";

export const EVENT_COLUMNS = 7;

function clockTime(at: number): string {
  const d = new Date(at);
  const today = d.toDateString() === new Date().toDateString();
  return today ? d.toLocaleTimeString() : d.toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });
}

/** A log row; clicking it shows the detail underneath. */
export function EventRow({ e, open, onToggle }: { e: ReleaseEvent; open: boolean; onToggle: () => void }) {
  return (
    <Fragment>
      <tr
        onClick={onToggle}
        aria-expanded={open}
        className={`cursor-pointer align-top hover:bg-slate-50 ${open ? "bg-slate-50" : ""}`}
        data-testid={`event-${e.id}`}
      >
        <td className="px-3 py-2 whitespace-nowrap">
          <span className="mr-1 inline-block w-3 text-slate-400">{open ? "▾" : "▸"}</span>
          <span className="text-slate-900">{clockTime(e.at)}</span>
          <span className="block pl-4 text-xs text-slate-400">
            <TimeAgo at={e.at} />
          </span>
        </td>
        <td className="px-3 py-2 whitespace-nowrap">
          {e.actor}
          {e.actorRole && <span className="ml-1 text-xs text-slate-400">({e.actorRole})</span>}
        </td>
        <td className="px-3 py-2 font-mono text-xs whitespace-nowrap">{e.action}</td>
        <td className="px-3 py-2">
          <OutcomeBadge outcome={e.outcome} />
        </td>
        <td className="px-3 py-2">
          {e.serviceName ? (
            <Link
              href={`/services/${encodeURIComponent(e.serviceName)}`}
              onClick={(ev) => ev.stopPropagation()}
              className="hover:underline"
            >
              {e.serviceName}
            </Link>
          ) : (
            <span className="text-slate-400">—</span>
          )}
        </td>
        <td className="px-3 py-2">{e.releaseNumber !== null ? `#${e.releaseNumber}` : <span className="text-slate-400">—</span>}</td>
        <td className="max-w-md px-3 py-2 text-slate-700">
          <span className={open ? "" : "line-clamp-2"}>{e.message ?? ""}</span>
        </td>
      </tr>
      {open && (
        <tr className="bg-slate-50">
          <td colSpan={EVENT_COLUMNS} className="px-3 pt-1 pb-4">
            <EventDetail e={e} />
          </td>
        </tr>
      )}
    </Fragment>
  );
}
