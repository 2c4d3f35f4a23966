"use client";
import { useQuery } from "@tanstack/react-query";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { formatSeconds } from "@/server/quarantine/constants";
import { useServerNow } from "./Countdown";
import { QuarantineCard } from "./QuarantineCard";
import { quarantinesQuery } from "./queries";
import { useLivePolling } from "@/components/live/LiveStreamProvider";

/** Every quarantined container with its live countdown, and the ended ones with their forensic bundles. */
export function QuarantinePage({ canOperate, isAdmin }: { canOperate: boolean; isAdmin: boolean }) {
  const q = useQuery({ ...quarantinesQuery(), refetchInterval: useLivePolling(2000) });
  const now = useServerNow(q.data?.offsetMs ?? 0);
  const d = q.data;
  const open = d?.quarantines.filter((x) => x.status === "active" || x.status === "destroying") ?? [];
  const ended = d?.quarantines.filter((x) => x.status === "destroyed" || x.status === "failed") ?? [];
  return (
    <section className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Quarantine</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Containers taken out of traffic and kept for debugging, each replaced by a fresh one from its release. Each is destroyed at its
          deadline after its forensic bundle is saved
          {d ? (
            <>
              : {formatSeconds(d.limits.defaultLifetimeS)} unless asked otherwise, at most {formatSeconds(d.limits.maxLifetimeS)}, with a
              warning {formatSeconds(d.limits.warnLeadS)} before
            </>
          ) : null}
          . Quarantine a container from its service page or its host page.
        </p>
      </div>
      {q.error && <ErrorBox error={q.error} />}
      {q.isPending && <p className="text-slate-500">Loading…</p>}
      {d && open.length === 0 && (
        <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600" data-testid="none-quarantined">
          Nothing is quarantined right now.
        </p>
      )}
      <div className="space-y-3" data-testid="quarantined">
        {open.map((x) => (
          <QuarantineCard key={x.id} q={x} now={now} canOperate={canOperate} isAdmin={isAdmin} />
        ))}
      </div>
      {ended.length > 0 && (
        <>
          <h2 className="pt-2 text-lg font-semibold">Ended</h2>
          <div className="space-y-3" data-testid="ended">
            {ended.map((x) => (
              <QuarantineCard key={x.id} q={x} now={now} canOperate={canOperate} isAdmin={isAdmin} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
