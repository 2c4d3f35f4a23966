"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/Badge";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { TimeAgo } from "@/components/ui/TimeAgo";
import { ContainerRow } from "./ContainerRow";
import { hostContainersQuery } from "./queries";
import { useLivePolling } from "@/components/live/LiveStreamProvider";

export function HostContainersView({ hostId, canOperate = false }: { hostId: number; canOperate?: boolean }) {
  const q = useQuery({
    ...hostContainersQuery(hostId),
    refetchInterval: useLivePolling(3000),
  });
  const d = q.data;
  return (
    <section>
      <p className="text-sm">
        <Link href="/" className="text-slate-500 hover:underline">
          ← Fleet
        </Link>
      </p>
      <div className="mt-1 mb-4 flex items-center gap-3">
        <h1 className="text-2xl font-semibold">{d?.host.name ?? `Host ${hostId}`}</h1>
        {d && (d.reachable ? <Badge tone="green">reachable</Badge> : <Badge tone="red">unreachable</Badge>)}
        {d && <span className="font-mono text-xs text-slate-500">{d.host.url}</span>}
        {d && (
          <Link href={`/drift#host-${d.host.name}`} className="ml-auto text-sm text-blue-700 hover:underline">
            Drift report
          </Link>
        )}
      </div>
      {q.error && <ErrorBox error={q.error} />}
      {q.isPending && <p className="text-slate-500">Listing containers…</p>}
      {d && !d.reachable && (
        <div className="rounded-md bg-red-50 p-3 text-sm text-red-800" data-testid="host-error">
          Engine not answering: {d.error}. Last seen {d.host.lastSeenAt ? <TimeAgo at={d.host.lastSeenAt} /> : "never"}.
        </div>
      )}
      {d?.reachable && d.containers.length === 0 && (
        <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600">No containers on this host.</p>
      )}
      {d?.reachable && d.containers.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full text-sm" data-testid="containers-table">
            <thead className="bg-slate-50 text-left text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                <th className="px-3 py-2">Name</th>
                <th className="px-3 py-2">Image</th>
                <th className="px-3 py-2">Image ID</th>
                <th className="px-3 py-2">State</th>
                <th className="px-3 py-2">Uptime / status</th>
                <th className="px-3 py-2">Labels</th>
                <th className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {d.containers.map((c) => (
                <ContainerRow key={c.id} c={c} hostId={hostId} canOperate={canOperate} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
