"use client";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { TimeAgo } from "@/components/ui/TimeAgo";
import type { FleetReport } from "@/server/drift/driftReport";
import { useStartScan } from "./queries";

/** "Scan now", and the running scan's progress host by host (hosts report independently). */
export function ScanProgress({ report, canOperate }: { report: FleetReport; canOperate: boolean }) {
  const scan = useStartScan();
  const running = report.running;
  const last = report.scan;
  const hosts = report.hosts;
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-testid="scan-status">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <button
          onClick={() => scan.mutate()}
          disabled={!canOperate || Boolean(running) || scan.isPending}
          title={canOperate ? undefined : "Needs the operator role."}
          className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:cursor-not-allowed disabled:opacity-40"
        >
          {running ? "Scanning…" : "Scan now"}
        </button>
        {running ? (
          <span className="text-slate-700">
            Scan #{running.id} started <TimeAgo at={running.startedAt} /> by {running.actor}:{" "}
            {hosts.filter((h) => h.scan?.scanId === running.id).length} of {running.hostsTotal} host(s) reported
          </span>
        ) : last ? (
          <span className="text-slate-600" data-testid="last-scan" data-scan-id={last.id}>
            Last scan #{last.id} ({last.trigger}, {last.status}) <TimeAgo at={last.finishedAt ?? last.startedAt} />
            {last.finishedAt && ` in ${((last.finishedAt - last.startedAt) / 1000).toFixed(1)} s`}
          </span>
        ) : (
          <span className="text-slate-500">No scan yet.</span>
        )}
      </div>
      {running && (
        <ul className="mt-2 grid gap-1 text-xs sm:grid-cols-2 lg:grid-cols-3" data-testid="scan-progress">
          {hosts.map((h) => {
            const p = h.progress;
            const reported = h.scan?.scanId === running.id;
            const pct = p && p.containersTotal ? Math.round((100 * p.containersDone) / p.containersTotal) : reported ? 100 : 0;
            return (
              <li key={h.host} className="flex items-center gap-2">
                <span className="w-24 truncate font-medium text-slate-700">{h.host}</span>
                <span className="h-1.5 flex-1 overflow-hidden rounded bg-slate-100">
                  <span
                    className={`block h-full ${reported && h.scan?.status === "unreachable" ? "bg-red-500" : "bg-blue-500"}`}
                    style={{ width: `${pct}%` }}
                  />
                </span>
                <span className="w-28 text-right text-slate-500">
                  {reported
                    ? h.scan?.status === "unreachable"
                      ? "unreachable"
                      : "done"
                    : p
                      ? `${p.containersDone}/${p.containersTotal}`
                      : "waiting"}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {last?.error && !running && <p className="mt-2 text-xs text-red-700">{last.error}</p>}
      {scan.error && (
        <div className="mt-2">
          <ErrorBox error={scan.error} />
        </div>
      )}
    </div>
  );
}
