import type { ReleaseEvent } from "@/server/releaseLog/listEvents";

function Fact({ label, value }: { label: string; value: string | number | null }) {
  return (
    <div>
      <dt className="text-xs tracking-wide text-slate-400 uppercase">{label}</dt>
      <dd className="font-mono text-xs break-all text-slate-800">{value ?? "—"}</dd>
    </div>
  );
}

/** The expanded part of a log row: where it came from and the full detail JSON. */
export function EventDetail({ e }: { e: ReleaseEvent }) {
  return (
    <div className="space-y-3" data-testid={`event-detail-${e.id}`}>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 sm:grid-cols-3 lg:grid-cols-6">
        <Fact label="Event" value={e.id} />
        <Fact label="Time" value={new Date(e.at).toISOString()} />
        <Fact label="Source IP" value={e.sourceIp} />
        <Fact label="Host" value={e.hostName} />
        <Fact label="Container" value={e.containerName} />
        <Fact label="Role" value={e.actorRole} />
      </dl>
      {e.message && <p className="text-sm whitespace-pre-wrap text-slate-700">{e.message}</p>}
      {e.detail === null || e.detail === undefined ? (
        <p className="text-xs text-slate-400">No detail recorded.</p>
      ) : (
        <pre className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
          {JSON.stringify(e.detail, null, 2)}
        </pre>
      )}
    </div>
  );
}
