"use client";
import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/Badge";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { EmptySide, ReleaseSide } from "./release/ReleaseSide";
import { ReleaseActions } from "./release/ReleaseActions";
import { ReleaseHistory } from "./release/ReleaseHistory";
import { OperationProgress } from "./release/OperationProgress";
import { StrategyNote } from "./release/StrategyNote";
import { RoutingPendingNote } from "./release/RoutingPendingNote";
import { serviceOverviewQuery, useServiceAction } from "./queries";
import { VolumesPanel } from "./VolumesPanel";
import { TrafficPanel } from "./traffic/TrafficPanel";
import { RolloutPanel } from "@/components/rollouts/RolloutPanel";
import { ShiftTrafficPanel } from "./release/ShiftTrafficPanel";
import { SmokePanel } from "./release/SmokePanel";
import { useLivePolling } from "@/components/live/LiveStreamProvider";

/** The candidate's hint when it differs from the role's usual one: still entering preview, or a shifted share. */
function candidateHint(
  release: { id: number; trafficSharePercent: number },
  running: { kind: string; releaseId: number | null } | null | undefined,
): string | undefined {
  if (running?.releaseId === release.id && (running.kind === "deploy" || running.kind === "redeploy")) return "healthy, entering preview…";
  return release.trafficSharePercent ? `healthy, ${release.trafficSharePercent} % of the traffic` : undefined;
}

/** The release page: old and new side by side, the actions, and the operation in progress. */
export function ServicePage({ name, canOperate, canAdmin = false }: { name: string; canOperate: boolean; canAdmin?: boolean }) {
  const poll = useLivePolling(700);
  const q = useQuery({
    ...serviceOverviewQuery(name),
    refetchInterval: (query) => (query.state.data?.operation?.status === "running" ? poll : Math.max(poll, 2000)),
  });
  const [notice, setNotice] = useState<string | null>(null);
  const action = useServiceAction(name);
  const o = q.data;
  if (q.isPending) return <p className="text-slate-500">Loading {name}…</p>;
  if (!o) return <ErrorBox error={q.error} />;
  const act = (path: string, body?: unknown) => {
    setNotice(null);
    action.mutate(
      { action: path, body },
      {
        onSuccess: (res) =>
          setNotice(
            res.ms !== undefined
              ? `${path === "rollback" ? "Rolled back" : path === "retire" ? "Retired" : "Switched"} in ${res.ms} ms.`
              : null,
          ),
      },
    );
  };
  const running = o.operation?.status === "running";
  const recreate = o.strategy.name === "recreate";
  const quarantine = {
    blockedReason: !canOperate
      ? "Needs the operator role."
      : running
        ? `${o.operation?.kind} #${o.operation?.id} is in progress.`
        : undefined,
  };
  const right = o.candidate ? (
    <ReleaseSide
      role="candidate"
      side={o.candidate}
      quarantine={quarantine}
      hint={candidateHint(o.candidate.release, running ? o.operation : null)}
    />
  ) : o.deploying ? (
    <ReleaseSide role="deploying" side={o.deploying} />
  ) : (
    <EmptySide
      title="No candidate"
      text={
        recreate
          ? "Deploy a version or Redeploy: the live containers stop, the new ones start on the same ports and volumes and go live once healthy."
          : "Deploy a version or Redeploy: it appears here, health-gated and in preview, before you switch traffic."
      }
    />
  );
  return (
    <section className="space-y-4">
      <p className="text-sm">
        <Link href="/services" className="text-slate-500 hover:underline">
          ← Services
        </Link>
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{o.service.name}</h1>
        <span className="font-mono text-xs text-slate-500">{o.service.spec.image}</span>
        {!o.service.spec.haproxy ? (
          <Badge tone="slate">not routed</Badge>
        ) : o.haproxy.ok ? (
          <Badge tone="green">HAProxy {o.service.spec.haproxy.backend}</Badge>
        ) : (
          <Badge tone="red">HAProxy unreachable</Badge>
        )}
        <div className="ml-auto flex gap-3 text-sm">
          <Link href={`/services/${name}/edit`} className="text-blue-700 hover:underline">
            Edit spec
          </Link>
          <a href={`/api/services/${name}/export?format=yaml`} className="text-blue-700 hover:underline">
            Export YAML
          </a>
          <Link href={`/log?service=${name}`} className="text-blue-700 hover:underline">
            Release log
          </Link>
          {canOperate && (
            <Link href={`/services/${name}/logs`} className="text-blue-700 hover:underline">
              Logs
            </Link>
          )}
        </div>
      </div>
      <StrategyNote strategy={o.strategy} />
      {!o.haproxy.ok && (
        <ErrorBox
          error={`HAProxy: ${o.haproxy.error}. Traffic stats are unavailable; actions that change routing will fail until it is back.`}
        />
      )}
      {o.hostErrors.map((h) => (
        <ErrorBox key={h.host} error={`Host ${h.host} is unreachable: ${h.error}`} />
      ))}
      {o.routingPending && <RoutingPendingNote pending={o.routingPending} />}
      {q.error && <ErrorBox error={q.error} />}
      <ReleaseActions o={o} canOperate={canOperate} busy={action.isPending} act={act} />
      {action.error && <ErrorBox error={action.error} />}
      {notice && (
        <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="notice">
          {notice}
        </p>
      )}
      <RolloutPanel
        name={name}
        plan={o.service.spec.rollout}
        canOperate={canOperate}
        candidate={o.candidate?.release.number ?? null}
        live={o.live?.release.number ?? null}
        busyWith={running ? `${o.operation?.kind} #${o.operation?.id} is in progress.` : undefined}
      />
      {o.operation && <OperationProgress op={o.operation} />}
      {/* Side by side: live, then the candidate (or the "no candidate" hint, left out once a standby takes that place), then the standby. */}
      <div className={`grid gap-4 lg:grid-cols-2 ${o.standby && (o.candidate || o.deploying) ? "xl:grid-cols-3" : ""}`}>
        {o.live ? (
          <ReleaseSide role="live" side={o.live} quarantine={quarantine} />
        ) : (
          <EmptySide title="Nothing live" text="The first healthy release goes live by itself." />
        )}
        {(!o.standby || o.candidate || o.deploying) && right}
        {o.standby && (
          <ReleaseSide
            role="standby"
            side={o.standby}
            quarantine={quarantine}
            hint={recreate ? "stopped, kept for rollback (recreate)" : undefined}
          />
        )}
      </div>
      <ShiftTrafficPanel o={o} blocked={quarantine.blockedReason} />
      <SmokePanel o={o} blocked={quarantine.blockedReason} />
      {o.service.spec.haproxy && <TrafficPanel name={name} current={[o.live, o.candidate, o.deploying, o.standby]} />}
      {o.service.spec.volumes.length > 0 && <VolumesPanel name={name} canDelete={canAdmin} />}
      <ReleaseHistory
        name={name}
        releases={o.releases}
        canReplay={canOperate && o.operation?.status !== "running"}
        onReplay={(n) => act("deploy", { replayRelease: n })}
      />
    </section>
  );
}
