"use client";
import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ConfirmButton } from "@/components/ui/ConfirmButton";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { OperationProgress } from "@/components/services/release/OperationProgress";
import { operationQuery } from "@/components/services/queries";
import type { FleetReport } from "@/server/drift/driftReport";
import { useReplaceDrifted } from "./queries";
import { useLivePolling } from "@/components/live/LiveStreamProvider";

function Progress({ id }: { id: number }) {
  const poll = useLivePolling(700);
  const q = useQuery({
    ...operationQuery(id),
    refetchInterval: (query) => (query.state.data?.operation.status === "running" ? poll : false),
  });
  return q.data ? <OperationProgress op={q.data.operation} /> : null;
}

/** "Replace drifted containers" per service: a Redeploy of the live release, switched when healthy; the drifted ones are retired. */
export function ReplaceDrifted({ items, canOperate }: { items: FleetReport["replaceable"]; canOperate: boolean }) {
  const [started, setStarted] = useState<{ service: string; operationId: number } | null>(null);
  const replace = useReplaceDrifted();
  if (items.length === 0 && !started) return null;
  return (
    <section className="space-y-2 rounded-lg border border-red-200 bg-red-50/50 p-3" data-testid="replace-drifted">
      {items.map((r) => (
        <div key={r.service} className="flex flex-wrap items-center gap-3 text-sm">
          <span>
            <Link href={`/services/${r.service}`} className="font-medium hover:underline">
              {r.service}
            </Link>
            : release {r.release} has {r.containers.length} drifted container(s) (
            {r.containers.map((c) => `${c.name} on ${c.host}`).join(", ")}).
          </span>
          <ConfirmButton
            label="Replace drifted containers"
            tone="primary"
            disabled={!canOperate || replace.isPending}
            disabledReason="Needs the operator role."
            title={`Replace ${r.service}'s drifted containers?`}
            description={
              <>
                Redeploys release {r.release} (same digest and spec) in fresh containers on every host, health-gates them, switches traffic
                to them with no failed request, then retires the drifted ones. Every step is in the release log.
              </>
            }
            confirmLabel="Replace"
            onConfirm={() =>
              replace.mutate(r.service, { onSuccess: (res, service) => setStarted({ service, operationId: res.operation.id }) })
            }
          />
        </div>
      ))}
      {replace.error && <ErrorBox error={replace.error} />}
      {started && (
        <div>
          <p className="mb-1 text-sm text-slate-700">
            Replacing {started.service}: redeploy, then switch and retire (see the{" "}
            <Link href={`/log?service=${started.service}`} className="text-blue-700 hover:underline">
              release log
            </Link>
            ).
          </p>
          <Progress id={started.operationId} />
        </div>
      )}
    </section>
  );
}
