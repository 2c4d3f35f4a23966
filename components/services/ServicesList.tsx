"use client";
import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/Badge";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { TimeAgo } from "@/components/ui/TimeAgo";
import type { ServiceSummary } from "@/server/services/listServices";
import { ImportServices } from "./ImportServices";
import { servicesQuery } from "./queries";
import { useLivePolling } from "@/components/live/LiveStreamProvider";

export const VIEWER_REASON = "Needs the operator role.";
const CREATE_REASON = "Creating a service needs the admin role: it claims HAProxy backends.";
const primary = "rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-40";
const secondary = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-40";

function ServiceRow({ s, canEdit }: { s: ServiceSummary; canEdit: boolean }) {
  const href = `/services/${encodeURIComponent(s.name)}`;
  return (
    <tr className="align-top" data-testid={`service-row-${s.name}`}>
      <td className="px-3 py-2">
        <Link href={href} className="font-medium text-slate-900 hover:underline">
          {s.name}
        </Link>
      </td>
      <td className="max-w-56 truncate px-3 py-2 font-mono text-xs text-slate-600" title={s.spec.image}>
        {s.spec.image}
      </td>
      <td className="px-3 py-2 font-mono text-xs text-slate-600">
        {s.spec.placement.map((p) => (
          <div key={p.host}>
            {p.host} ×{p.replicas}
          </div>
        ))}
      </td>
      <td className="px-3 py-2">
        {s.live ? (
          <div className="flex max-w-72 items-baseline gap-2">
            <span className="font-medium">#{s.live.number}</span>
            <span className="truncate font-mono text-xs text-slate-600" title={s.live.imageRef}>
              {s.live.imageRef}
            </span>
          </div>
        ) : (
          <span className="text-slate-400">not deployed</span>
        )}
      </td>
      <td className="px-3 py-2">
        <div className="flex flex-wrap gap-1">
          {s.deploying && <Badge tone="amber">Deploy in progress #{s.deploying.number}</Badge>}
          {s.candidate && <Badge tone="blue">candidate #{s.candidate.number}</Badge>}
          {s.standby && <Badge tone="slate">standby #{s.standby.number}</Badge>}
        </div>
      </td>
      <td className="px-3 py-2 text-right text-sm whitespace-nowrap">
        <a href={`/api/services/${encodeURIComponent(s.name)}/export?format=yaml`} download className="text-slate-600 hover:underline">
          YAML
        </a>
        <span className="mx-1 text-slate-300">·</span>
        <a href={`/api/services/${encodeURIComponent(s.name)}/export?format=json`} download className="text-slate-600 hover:underline">
          JSON
        </a>
        <span className="mx-1 text-slate-300">·</span>
        {canEdit ? (
          <Link href={`${href}/edit`} className="text-blue-700 hover:underline">
            Edit
          </Link>
        ) : (
          <span className="cursor-not-allowed text-slate-400" title={VIEWER_REASON}>
            Edit
          </span>
        )}
      </td>
    </tr>
  );
}

export function ServicesList({ canEdit, canCreate }: { canEdit: boolean; canCreate: boolean }) {
  const q = useQuery({ ...servicesQuery(), refetchInterval: useLivePolling(3000) });
  const [importing, setImporting] = useState(false);
  const services = q.data?.services ?? [];
  const reason = canEdit ? undefined : VIEWER_REASON;
  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">Services</h1>
        {q.data && (
          <p className="text-sm text-slate-500">
            {services.length} service{services.length === 1 ? "" : "s"} · updated <TimeAgo at={q.dataUpdatedAt} />
          </p>
        )}
        <div className="ml-auto flex gap-2 self-center">
          <button disabled={!canEdit} title={reason} onClick={() => setImporting((v) => !v)} className={secondary}>
            Import YAML/JSON
          </button>
          {canCreate ? (
            <Link href="/services/new" className={primary}>
              New service
            </Link>
          ) : (
            <button disabled title={CREATE_REASON} className={primary}>
              New service
            </button>
          )}
        </div>
      </div>
      {importing && <ImportServices onClose={() => setImporting(false)} />}
      <ErrorBox error={q.error} />
      {q.isPending && <p className="text-slate-500">Loading services…</p>}
      {q.data && services.length === 0 && (
        <div className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600" data-testid="services-empty">
          <p className="font-medium text-slate-900">No services yet.</p>
          <p className="mt-1 text-sm">A service names an image repository and where to run it; each deploy becomes an immutable release.</p>
          {canCreate ? (
            <p className="mt-4 flex justify-center gap-2">
              <Link href="/services/new" className={primary}>
                Create the first service
              </Link>
              <button onClick={() => setImporting(true)} className={secondary}>
                Import a spec
              </button>
            </p>
          ) : (
            <p className="mt-2 text-sm">An admin can create one (a new service claims HAProxy backends).</p>
          )}
        </div>
      )}
      {services.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full text-sm" data-testid="services-table">
            <thead className="bg-slate-50 text-left text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                <th className="px-3 py-2">Service</th>
                <th className="px-3 py-2">Image</th>
                <th className="px-3 py-2">Hosts</th>
                <th className="px-3 py-2">Live release</th>
                <th className="px-3 py-2">Other releases</th>
                <th className="px-3 py-2 text-right">Spec</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {services.map((s) => (
                <ServiceRow key={s.name} s={s} canEdit={canEdit} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
