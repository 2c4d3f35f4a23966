"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { TimeAgo } from "@/components/ui/TimeAgo";
import { HostCard } from "./HostCard";
import { fleetQuery } from "./queries";
import { useLivePolling } from "@/components/live/LiveStreamProvider";

export function FleetOverview() {
  const q = useQuery({
    ...fleetQuery(),
    refetchInterval: useLivePolling(3000),
  });
  const hosts = q.data?.hosts ?? [];
  const down = hosts.filter((h) => !h.status.reachable).length;
  return (
    <section>
      <div className="mb-4 flex items-baseline gap-3">
        <h1 className="text-2xl font-semibold">Fleet</h1>
        {q.data && (
          <p className="text-sm text-slate-500">
            {hosts.length} host{hosts.length === 1 ? "" : "s"}
            {down > 0 ? `, ${down} unreachable` : ", all reachable"} · updated <TimeAgo at={q.dataUpdatedAt} />
          </p>
        )}
      </div>
      {q.error && <ErrorBox error={q.error} />}
      {q.isPending && <p className="text-slate-500">Asking every engine…</p>}
      {q.data && hosts.length === 0 && (
        <div className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600">
          No Docker hosts yet.{" "}
          <Link className="text-blue-700 underline" href="/settings/hosts">
            Add one
          </Link>
          .
        </div>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        {hosts.map((h) => (
          <HostCard key={h.id} host={h} />
        ))}
      </div>
    </section>
  );
}
