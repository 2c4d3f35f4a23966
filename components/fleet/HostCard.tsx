import Link from "next/link";
import { Badge } from "@/components/ui/Badge";
import { TimeAgo } from "@/components/ui/TimeAgo";
import type { FleetHost } from "@/server/fleet/fleetOverview";

function Fact({ label, value }: { label: string; value: string | number }) {
  return (
    <div>
      <dt className="text-xs tracking-wide text-slate-400 uppercase">{label}</dt>
      <dd className="truncate font-mono text-sm text-slate-800" title={String(value)}>
        {value}
      </dd>
    </div>
  );
}

export function HostCard({ host }: { host: FleetHost }) {
  const s = host.status;
  return (
    <article data-testid={`host-card-${host.name}`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex items-center gap-2">
        <Link href={`/hosts/${host.id}`} className="text-lg font-semibold text-slate-900 hover:underline">
          {host.name}
        </Link>
        {s.reachable ? <Badge tone="green">reachable</Badge> : <Badge tone="red">unreachable</Badge>}
        {host.tls && <Badge tone="blue">TLS</Badge>}
        {host.ssh && <Badge tone="blue">SSH</Badge>}
        {host.insecure && (
          <span title="Plain tcp:// without TLS: anyone on the network can read and drive this engine.">
            <Badge tone="red">insecure: no TLS</Badge>
          </span>
        )}
      </div>
      <p className="mt-1 truncate font-mono text-xs text-slate-500" title={host.url}>
        {host.url}
      </p>
      {s.reachable ? (
        <>
          <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 sm:grid-cols-3">
            <Fact label="Engine" value={`${s.engine.engineVersion} (API ${s.engine.apiVersion})`} />
            <Fact label="OS" value={s.engine.os} />
            <Fact label="Kernel" value={s.engine.kernel} />
            <Fact label="Storage" value={s.engine.storageDriver} />
            <Fact label="Cgroup" value={s.engine.cgroupDriver} />
            <Fact label="Images" value={s.engine.images} />
          </dl>
          <p className="mt-3 text-sm text-slate-600" data-testid="container-counts">
            <span className="font-medium text-slate-900">{s.engine.containers.running}</span> running · {s.engine.containers.stopped}{" "}
            stopped · {s.engine.containers.paused} paused · {s.engine.containers.total} total
          </p>
        </>
      ) : (
        <div className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-800" data-testid="host-error">
          <p className="font-medium">Engine not answering: {s.error}</p>
          <p className="mt-1 text-red-700">Last seen {host.lastSeenAt ? <TimeAgo at={host.lastSeenAt} /> : "never"}.</p>
        </div>
      )}
    </article>
  );
}
