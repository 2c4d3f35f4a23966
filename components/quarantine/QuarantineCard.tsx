"use client";
import Link from "next/link";
import { Badge } from "@/components/ui/Badge";
import { ConfirmButton } from "@/components/ui/ConfirmButton";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { TimeAgo } from "@/components/ui/TimeAgo";
import { formatSeconds } from "@/server/quarantine/constants";
import { CancelSelfDestruct } from "./CancelSelfDestruct";
import { DebugConsole } from "./DebugConsole";
import { ExtendControls } from "./ExtendControls";
import { TimerLine } from "./TimerLine";
import { Transcript } from "./Transcript";
import type { QuarantineView } from "@/server/quarantine/quarantineView";
import { useQuarantineAction } from "./queries";

function statusBadge(q: QuarantineView, now: number) {
  if (q.status === "destroyed") return <Badge tone="slate">destroyed</Badge>;
  if (q.status === "failed") return <Badge tone="red">failed</Badge>;
  if (q.status === "destroying") return <Badge tone="blue">destroying</Badge>;
  if (q.deadline === null) return <Badge tone="red">no deadline</Badge>;
  if (q.overdue) return <Badge tone="red">overdue</Badge>;
  if (q.warnAt !== null && now >= q.warnAt) return <Badge tone="amber">destroys soon</Badge>;
  return <Badge tone="amber">quarantined</Badge>;
}

function drift(q: QuarantineView): string {
  if (q.drift)
    return q.drift.total === 0
      ? "no file changes"
      : `${q.drift.total} file change(s): ${q.drift.added} added, ${q.drift.modified} changed, ${q.drift.deleted} deleted`;
  if (q.status === "active" || q.status === "destroying") return `n/a (${q.driftError ?? "host unreachable"})`;
  return q.forensics ? "as it was at the end: changes.json and files/ in the forensic bundle" : "—";
}

/** One quarantined container: its timer, who and why, drift so far, extensions, and the actions. */
export function QuarantineCard({ q, now, canOperate, isAdmin }: { q: QuarantineView; now: number; canOperate: boolean; isAdmin: boolean }) {
  const act = useQuarantineAction(q.id);
  const live = q.status === "active";
  const busy = q.operation?.status === "running" ? "Its quarantine is still being carried out." : act.isPending ? "Working…" : null;
  const operate = !canOperate ? "Needs the operator role." : busy;
  const cancelled = q.deadline === null;
  return (
    <article
      data-testid={`quarantine-${q.id}`}
      className={`rounded-lg border bg-white p-4 shadow-sm ${live && cancelled ? "border-red-400 ring-2 ring-red-200" : "border-slate-200"}`}
    >
      <header className="flex flex-wrap items-center gap-2">
        <h2 className="font-mono text-base font-semibold" title={q.dockerId}>
          {q.quarantinedName}
        </h2>
        {statusBadge(q, now)}
        <span className="text-sm text-slate-500">
          on{" "}
          <Link href={`/hosts/${q.hostId}`} className="hover:underline">
            {q.hostName}
          </Link>{" "}
          ·{" "}
          <Link href={`/services/${q.serviceName}`} className="hover:underline">
            {q.serviceName}
          </Link>{" "}
          release {q.releaseNumber}
        </span>
      </header>
      <TimerLine q={q} now={now} canDownload={canOperate} />
      <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[9rem_1fr]">
        <dt className="text-slate-500">Quarantined</dt>
        <dd>
          <TimeAgo at={q.quarantinedAt} /> by <span className="font-medium">{q.quarantinedBy}</span>
        </dd>
        <dt className="text-slate-500">Why</dt>
        <dd className="whitespace-pre-wrap" data-testid="reason">
          {q.reason}
        </dd>
        <dt className="text-slate-500">Drift so far</dt>
        <dd data-testid="drift">{drift(q)}</dd>
        <dt className="text-slate-500">Network</dt>
        <dd data-testid="network">{q.network}</dd>
        <dt className="text-slate-500">Container</dt>
        <dd className="font-mono text-xs leading-5">
          {q.dockerId.slice(0, 12)} (was {q.originalName})
          {q.status === "active" && (
            <Link href={`/hosts/${q.hostId}/containers/${q.quarantinedName}/logs`} className="ml-2 font-sans text-blue-700 hover:underline">
              logs
            </Link>
          )}
        </dd>
        {q.extensions.length > 0 && (
          <>
            <dt className="text-slate-500">Extended</dt>
            <dd data-testid="extensions">
              {q.extensions.length}×: {q.extensions.map((e) => `+${formatSeconds(e.addedS)} by ${e.by}`).join(", ")}
            </dd>
          </>
        )}
      </dl>
      {live && canOperate && !busy && <DebugConsole url={`/api/quarantines/${q.id}/exec`} quarantineId={q.id} name={q.quarantinedName} />}
      {canOperate && <Transcript quarantineId={q.id} />}
      {q.adviseImage && live && (
        <p className="mt-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="advice">
          Extended {q.extensions.length} times. A container kept alive this long belongs in the image instead: ship the debug tools in the
          image behind a switch (an environment variable that turns them on), deploy that, and let this one go.
        </p>
      )}
      {live && (
        <div className="mt-3 flex flex-wrap items-center gap-3 border-t border-slate-100 pt-3">
          {!cancelled && (
            <ExtendControls
              roomS={q.extensionRoomS}
              disabled={operate}
              onExtend={(addS) => act.mutate({ verb: "extend", body: { addS } })}
            />
          )}
          <div className="ml-auto flex gap-2">
            {!cancelled && (
              <CancelSelfDestruct
                name={q.quarantinedName}
                disabled={!isAdmin ? "Needs the admin role." : busy}
                onCancel={(reason) => act.mutate({ verb: "cancel", body: { reason } })}
              />
            )}
            <ConfirmButton
              label="Destroy now"
              tone="danger"
              disabled={Boolean(operate)}
              disabledReason={operate ?? undefined}
              title={`Destroy ${q.quarantinedName} now?`}
              description={
                <>
                  Its forensic bundle (inspect with secrets redacted, the last logs, the filesystem changes and the changed files up to the
                  cap) is saved, then it is stopped and removed from {q.hostName}. This cannot be undone.
                </>
              }
              confirmLabel="Destroy"
              onConfirm={() => act.mutate({ verb: "destroy", body: {} })}
            />
          </div>
        </div>
      )}
      {act.error && (
        <div className="mt-2">
          <ErrorBox error={act.error} />
        </div>
      )}
    </article>
  );
}
