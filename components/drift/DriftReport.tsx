"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { DriftSummary } from "./DriftSummary";
import { HostDriftSection } from "./HostDriftSection";
import { HostDriftTable } from "./HostDriftTable";
import { ReplaceDrifted } from "./ReplaceDrifted";
import { ScanProgress } from "./ScanProgress";
import { VerdictBadge } from "./VerdictBadge";
import type { FleetReport } from "@/server/drift/driftReport";
import { driftReportQuery } from "./queries";
import { useLivePolling } from "@/components/live/LiveStreamProvider";

/** /drift: the fleet's drift from the last stored scan, updated host by host while a scan runs. */
export function DriftReport({ initial, canOperate }: { initial: FleetReport; canOperate: boolean }) {
  const poll = useLivePolling(700);
  const q = useQuery({
    ...driftReportQuery(),
    initialData: initial,
    refetchInterval: (query) => (query.state.data?.running ? poll : Math.max(poll, 5000)),
  });
  const r = q.data;
  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Drift</h1>
        <VerdictBadge verdict={r.summary.verdict} />
        <p className="text-sm text-slate-500">Every container compared with what was released: image, config and files.</p>
        <div className="ml-auto flex gap-3 text-sm">
          <Link href="/drift/rules" className="text-blue-700 hover:underline">
            Ignore rules
          </Link>
          <a href="/api/drift" className="text-blue-700 hover:underline">
            JSON
          </a>
        </div>
      </div>
      {q.error && <ErrorBox error={q.error} />}
      <ScanProgress report={r} canOperate={canOperate} />
      <DriftSummary s={r.summary} />
      <ReplaceDrifted items={r.replaceable} canOperate={canOperate} />
      {r.hosts.length === 0 && (
        <div className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600">
          No Docker hosts yet.{" "}
          <Link className="text-blue-700 underline" href="/settings/hosts">
            Add one
          </Link>
          .
        </div>
      )}
      {r.hosts.map((s) => (
        <HostDriftSection key={s.host} s={s} odd={r.hostDrift.oddHosts.includes(s.host)} />
      ))}
      {r.hosts.length > 0 && <HostDriftTable drift={r.hostDrift} />}
    </section>
  );
}
