"use client";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Badge } from "@/components/ui/Badge";
import { ConfirmButton } from "@/components/ui/ConfirmButton";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { formatAgo } from "@/components/ui/TimeAgo";
import type { RolloutPlan, RolloutStep } from "@/server/services/rolloutSpecInput";
import { rolloutQuery, useRolloutCommand } from "./queries";
import { RolloutGateChart } from "./RolloutGateChart";
import { RolloutMeasurements } from "./RolloutMeasurements";

const STATUS_TONE = { running: "blue", paused: "amber", promoted: "green", aborted: "red" } as const;
const STEP_STYLE = {
  current: "border-blue-500 bg-blue-50 font-medium text-blue-900",
  done: "border-emerald-300 bg-emerald-50 text-emerald-800",
  aborted: "border-red-300 bg-red-50 text-red-800",
  planned: "border-slate-200 text-slate-600",
} as const;
const stepLabel = (s: RolloutStep) => `${s.weight} % · ${"manual" in s ? "manual" : formatAgo(s.pauseS * 1000)}`;

/** Counts down from the time left the server gave at `fetchedAt` (the server recomputes it at every poll). */
function useCountdown(timeLeftMs: number | null, fetchedAt: number, running: boolean): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, []);
  if (timeLeftMs === null) return null;
  return running ? Math.max(0, timeLeftMs - (now - fetchedAt)) : timeLeftMs;
}

/**
 * The service's rollout: its steps, the current one with its time left, the
 * live shares, the gate's measurements, and Start / Continue / Pause /
 * Promote / Abort (each asks first and says what will happen).
 */
export function RolloutPanel(props: {
  name: string;
  plan: RolloutPlan | undefined;
  canOperate: boolean;
  candidate: number | null;
  live: number | null;
  /** Another operation holds the service (a deploy…): Start waits for it. */
  busyWith: string | undefined;
}) {
  const q = useQuery(rolloutQuery(props.name));
  const command = useRolloutCommand(props.name);
  const r = q.data?.rollout ?? null;
  const active = r?.status === "running" || r?.status === "paused";
  const left = useCountdown(r?.timeLeftMs ?? null, q.dataUpdatedAt, r?.status === "running");
  if (!props.plan && !r) return null;
  const steps = r?.steps ?? props.plan?.steps ?? [];
  const analysis = r?.analysis ?? props.plan?.analysis;
  const off = !props.canOperate || command.isPending;
  const why = !props.canOperate ? "Needs the operator role." : undefined;
  const latest = q.data?.measurements?.at(-1);
  const measured = r?.shares.measuredPercent;
  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="rollout-panel">
      <div className="flex flex-wrap items-center gap-2">
        <h2 className="text-lg font-semibold">Rollout</h2>
        {r && <Badge tone={STATUS_TONE[r.status]}>{r.status}</Badge>}
        {r && (
          <span className="text-xs text-slate-500">
            #{r.id}: release {r.candidateRelease} against live {r.liveRelease ?? "—"}, started by {r.startedBy}
          </span>
        )}
        <div className="ml-auto flex flex-wrap gap-2">
          {!active && props.plan && (
            <ConfirmButton
              label="Start rollout"
              tone="primary"
              disabled={off || props.candidate === null || Boolean(props.busyWith)}
              disabledReason={why ?? props.busyWith ?? "Deploy a candidate first."}
              title={`Roll out release ${props.candidate}?`}
              description={`The candidate takes ${props.plan.steps.map((s) => `${s.weight} %`).join(", then ")} of the traffic, step by step. The gate aborts on its own if the candidate breaks a limit; after the last step it goes live (Switch).`}
              confirmLabel="Start"
              onConfirm={() => command.mutate("start")}
            />
          )}
          {active && (
            <>
              <ConfirmButton
                label="Continue"
                disabled={off}
                disabledReason={why}
                title="Continue the rollout?"
                description={
                  r.status === "paused" && r.timeLeftMs
                    ? `Step ${r.stepIndex + 1}'s clock runs again (${formatAgo(r.timeLeftMs)} left).`
                    : r.stepIndex + 1 >= r.steps.length
                      ? "This is the last step: if the gate passes, the candidate goes live (Switch). If it is inconclusive the rollout stays paused."
                      : `Step ${r.stepIndex + 1} ends now; if the gate passes the candidate moves to ${r.steps[r.stepIndex + 1]?.weight} %.`
                }
                onConfirm={() => command.mutate("continue")}
              />
              <ConfirmButton
                label="Pause"
                disabled={off || r.status === "paused"}
                disabledReason={why ?? "Already paused."}
                title="Pause the rollout?"
                description="The step's clock stops and the candidate keeps its current share. The gate keeps watching: a breach still aborts."
                onConfirm={() => command.mutate("pause")}
              />
              <ConfirmButton
                label="Promote"
                disabled={off}
                disabledReason={why}
                title={`Promote release ${r.candidateRelease} now?`}
                description={`Skips the remaining steps and the gate: release ${r.candidateRelease} goes live (Switch), release ${r.liveRelease} goes on standby for a rollback.`}
                confirmLabel="Promote"
                onConfirm={() => command.mutate("promote")}
              />
              <ConfirmButton
                label="Abort"
                tone="danger"
                disabled={off}
                disabledReason={why}
                title="Abort the rollout?"
                description={`The candidate's share goes from ${r.shares.targetPercent ?? 0} % to 0 % at once: release ${r.liveRelease} (live) serves all traffic. Release ${r.candidateRelease} stays deployed in preview; you can start a new rollout or discard it.`}
                confirmLabel="Abort rollout"
                onConfirm={() => command.mutate("abort")}
              />
            </>
          )}
        </div>
      </div>
      {command.error && <ErrorBox error={command.error} />}
      {q.error && <ErrorBox error={q.error} />}
      <ol className="flex flex-wrap gap-2 text-sm" aria-label="Rollout steps">
        {steps.map((s, i) => {
          const state = !r
            ? "planned"
            : i < r.stepIndex || r.status === "promoted"
              ? "done"
              : i === r.stepIndex
                ? r.status === "aborted"
                  ? "aborted"
                  : "current"
                : "planned";
          return (
            <li key={i} data-state={state} className={`rounded-md border px-2 py-1 ${STEP_STYLE[state]}`}>
              {i + 1}. {stepLabel(s)}
              {state === "current" && active && (
                <span className="ml-1 text-xs" data-testid="rollout-time-left">
                  {left === null ? "— waiting for Continue" : `— ${formatAgo(left)} left`}
                </span>
              )}
            </li>
          );
        })}
      </ol>
      {r?.reason && (
        <p
          className={`rounded-md px-3 py-2 text-sm ${r.status === "aborted" ? "bg-red-50 text-red-800" : "bg-amber-50 text-amber-900"}`}
          data-testid="rollout-reason"
        >
          {r.reason}
        </p>
      )}
      {r && (
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" data-testid="rollout-shares">
          <div>
            <dt className="text-xs text-slate-500">Candidate target</dt>
            <dd className="font-mono">{r.shares.targetPercent === null ? "—" : `${r.shares.targetPercent} %`}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Candidate measured</dt>
            <dd className="font-mono">{measured === null || measured === undefined ? "no traffic" : `${measured.toFixed(1)} %`}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Live measured</dt>
            <dd className="font-mono">{measured === null || measured === undefined ? "no traffic" : `${(100 - measured).toFixed(1)} %`}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Gate</dt>
            <dd>
              {latest ? (
                <Badge tone={latest.verdict === "pass" ? "green" : latest.verdict === "breach" ? "red" : "amber"}>{latest.verdict}</Badge>
              ) : (
                <span className="text-slate-500">no sample yet</span>
              )}
            </dd>
          </div>
        </dl>
      )}
      {r && analysis && (
        <>
          <p className="text-xs text-slate-500">
            Gate: 5xx ratio ≤ {(analysis.max5xxRatio * 100).toFixed(1)} %, response time ≤ {analysis.maxResponseMs} ms over{" "}
            {analysis.windowS} s, at least {analysis.minRequests} candidate requests (fewer: inconclusive, never promotes)
            {analysis.max5xxRatioVsLive ? `; 5xx ≤ ${analysis.max5xxRatioVsLive}× live` : ""}
            {analysis.maxResponseVsLive ? `; response ≤ ${analysis.maxResponseVsLive}× live` : ""}.
          </p>
          <RolloutGateChart points={q.data?.measurements ?? []} analysis={analysis} />
          <RolloutMeasurements points={(q.data?.measurements ?? []).slice(-6).reverse()} />
        </>
      )}
    </section>
  );
}
