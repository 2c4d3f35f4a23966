"use client";
import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ConfirmButton } from "@/components/ui/ConfirmButton";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { TimeAgo } from "@/components/ui/TimeAgo";
import { ChangesTable } from "./ChangesTable";
import { DirectoryGroups } from "./DirectoryGroups";
import { FindingsTable } from "./FindingsTable";
import { VerdictBadge } from "./VerdictBadge";
import type { ContainerDetail } from "@/server/drift/containerDetail";
import { containerDriftQuery, useBaseline } from "./queries";
import { useLivePolling } from "@/components/live/LiveStreamProvider";

function Card({ title, children, extra }: { title: string; children: React.ReactNode; extra?: React.ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <div className="flex items-baseline gap-3 border-b border-slate-100 px-4 py-2">
        <h2 className="font-semibold">{title}</h2>
        {extra}
      </div>
      {children}
    </section>
  );
}

/** One container's drift: findings by kind, files by directory (paged), baseline, and its history across scans. */
export function ContainerDrift({
  host,
  container,
  initial,
  canOperate,
  isAdmin,
}: {
  host: string;
  container: string;
  initial: ContainerDetail;
  canOperate: boolean;
  isAdmin: boolean;
}) {
  const q = useQuery({ ...containerDriftQuery(host, container), initialData: initial, refetchInterval: useLivePolling(5000) });
  const [dir, setDir] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const baseline = useBaseline(host, container);
  const startBaseline = () =>
    baseline.mutate(undefined, {
      onSuccess: (r) =>
        setNotice(
          `Added ${r.rules.length} ignore rule(s): ${r.rules.map((x) => x.pattern).join(", ")}.${r.notCovered ? ` ${r.notCovered} image/config finding(s) cannot be ignored: replace the container.` : ""}`,
        ),
    });
  const d = q.data;
  const c = d.container;
  const k = d.changes.kinds;
  return (
    <section className="space-y-4">
      <p className="text-sm">
        <Link href={`/drift#host-${host}`} className="text-slate-500 hover:underline">
          ← Drift
        </Link>
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="font-mono text-xl font-semibold">{c.name}</h1>
        <VerdictBadge verdict={c.verdict} />
        <span className="text-sm text-slate-500">
          on {d.host} ·{" "}
          {c.service ? (
            <Link className="hover:underline" href={`/services/${c.service}`}>
              {c.service} release {c.release}
            </Link>
          ) : (
            "no release"
          )}{" "}
          · {c.shortId} · {c.state}
        </span>
        <span className="text-xs text-slate-400">
          scan #{c.scanId}, <TimeAgo at={c.scannedAt} />
        </span>
        <div className="ml-auto">
          <ConfirmButton
            label="Baseline"
            disabled={
              !isAdmin ||
              !d.current ||
              c.verdict === "unaccounted" ||
              c.quarantined ||
              c.counts.changesEffective === 0 ||
              baseline.isPending
            }
            disabledReason={!isAdmin ? "Needs the admin role." : "No filesystem findings to turn into rules."}
            title={`Baseline ${c.name}?`}
            description={
              <>
                Its {c.counts.changesEffective} current filesystem finding(s) become ignore rules for {c.service} (a rule per path, or per
                directory when it has many). Image and config drift cannot be ignored.
              </>
            }
            confirmLabel="Add rules"
            onConfirm={startBaseline}
          />
        </div>
      </div>
      {!d.current && <ErrorBox error="This container is not in its host's last scan (gone or replaced); this is its last known result." />}
      {c.note && <p className="text-sm text-slate-600">Note: {c.note}</p>}
      {baseline.error && <ErrorBox error={baseline.error} />}
      {notice && (
        <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="notice">
          {notice}
        </p>
      )}
      <Card title="Image and config">
        <FindingsTable findings={d.findings} />
      </Card>
      <Card
        title="Filesystem"
        extra={
          <span className="text-sm text-slate-500" data-testid="fs-counts">
            {d.changes.total} change(s): {k.added} added, {k.changed} changed, {k.deleted} deleted · {c.counts.changesIgnored} ignored by
            rules
          </span>
        }
      >
        {d.changes.total === 0 ? (
          <p className="p-4 text-sm text-slate-500">No changes against the image.</p>
        ) : (
          <>
            <DirectoryGroups changes={d.changes} selected={dir} onSelect={setDir} />
            <div className="border-t border-slate-200">
              <ChangesTable key={dir ?? ""} host={host} container={container} dir={dir} canDownload={canOperate && d.current} />
            </div>
          </>
        )}
      </Card>
      {d.rules.length > 0 && (
        <Card
          title="Ignore rules that apply"
          extra={
            <Link href="/drift/rules" className="text-sm text-blue-700 hover:underline">
              Edit
            </Link>
          }
        >
          <ul className="flex flex-wrap gap-2 p-3 text-xs">
            {d.rules.map((r) => (
              <li key={r.id} className="rounded bg-slate-100 px-2 py-0.5 font-mono" title={r.note}>
                #{r.id} {r.pattern}
                {r.service ? ` (${r.service})` : ""}
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card title="History">
        <table className="min-w-full text-sm" data-testid="history">
          <thead className="text-left text-xs tracking-wide text-slate-400 uppercase">
            <tr>
              <th className="px-4 py-1.5 font-normal">Scan</th>
              <th className="px-2 font-normal">Verdict</th>
              <th className="px-2 font-normal">Findings</th>
              <th className="px-2 font-normal">Files</th>
              <th className="px-2 font-normal">New / resolved</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {d.history.map((h) => (
              <tr key={h.scanId}>
                <td className="px-4 py-1 text-xs">
                  #{h.scanId} · <TimeAgo at={h.scannedAt} />
                </td>
                <td className="px-2 py-1">
                  <VerdictBadge verdict={h.verdict} />
                </td>
                <td className="px-2 py-1 font-mono text-xs">{h.findings}</td>
                <td className="px-2 py-1 font-mono text-xs">
                  {h.changes}
                  {h.ignored ? ` (${h.ignored} ignored)` : ""}
                </td>
                <td className="px-2 py-1 font-mono text-xs">
                  +{h.new} / −{h.resolved}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </section>
  );
}
