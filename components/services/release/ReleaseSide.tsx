import { Badge } from "@/components/ui/Badge";
import { TimeAgo } from "@/components/ui/TimeAgo";
import type { SideView } from "@/server/services/serviceOverview";
import { SideContainers } from "./SideContainers";
import { TrafficShareLine } from "./TrafficShareLine";

const ROLE = {
  live: { title: "Live", tone: "green" as const, hint: "serving traffic" },
  candidate: { title: "Candidate", tone: "blue" as const, hint: "healthy, in preview (weight 0)" },
  standby: { title: "Standby", tone: "amber" as const, hint: "drained, kept for rollback" },
  deploying: { title: "Deploying", tone: "slate" as const, hint: "starting and health-gating" },
};

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-md bg-slate-50 px-3 py-2">
      <p className="text-xs tracking-wide text-slate-400 uppercase">{label}</p>
      <p className="font-mono text-lg text-slate-900">{value}</p>
    </div>
  );
}

/** The role's usual hint, unless HAProxy says otherwise (a live release that gets nothing, a standby that still gets traffic). */
function roleHint(role: keyof typeof ROLE, side: SideView): string {
  if (role === "live" && side.traffic?.percent === 0) return "recorded live, but HAProxy sends it nothing";
  if (role === "standby" && side.traffic && side.traffic.percent > 0) return "kept for rollback, still gets traffic";
  return ROLE[role].hint;
}

/** `quarantine` shows a Quarantine button per container (blockedReason turns it off and says why). */
/** `hint` replaces the role's usual one (a recreate standby is stopped, not drained). */
export function ReleaseSide({
  role,
  side,
  quarantine,
  hint,
}: {
  role: keyof typeof ROLE;
  side: SideView;
  quarantine?: { blockedReason?: string };
  hint?: string;
}) {
  const r = side.release;
  const meta = ROLE[role];
  const digest = r.imageDigest?.split("@")[1] ?? "unresolved";
  return (
    <article data-testid={`side-${role}`} className="flex flex-col rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <header className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <h2 className="text-lg font-semibold whitespace-nowrap">Release {r.number}</h2>
        <Badge tone={meta.tone}>{meta.title}</Badge>
        <span className="text-xs text-slate-500">{hint ?? roleHint(role, side)}</span>
      </header>
      {side.traffic && <TrafficShareLine traffic={side.traffic} />}
      <dl className="mt-3 space-y-1 text-sm">
        <div className="flex gap-2">
          <dt className="w-20 shrink-0 text-slate-500">Image</dt>
          <dd className="truncate font-mono text-xs leading-5" data-testid="image-ref" title={r.imageRef}>
            {r.imageRef}
          </dd>
        </div>
        <div className="flex gap-2">
          <dt className="w-20 shrink-0 text-slate-500">Digest</dt>
          <dd className="truncate font-mono text-xs leading-5" title={r.imageDigest ?? ""}>
            {digest}
          </dd>
        </div>
        <div className="flex gap-2">
          <dt className="w-20 shrink-0 text-slate-500">Image ID</dt>
          <dd className="truncate font-mono text-xs leading-5" title={r.imageId ?? ""}>
            {r.imageId?.slice(7, 19) ?? "—"}
          </dd>
        </div>
        <div className="flex gap-2">
          <dt className="w-20 shrink-0 text-slate-500">Deployed</dt>
          <dd>
            <TimeAgo at={r.createdAt} /> by {r.createdBy}
          </dd>
        </div>
        {r.liveSince && role === "live" && (
          <div className="flex gap-2">
            <dt className="w-20 shrink-0 text-slate-500">Live for</dt>
            <dd>
              <TimeAgo at={r.liveSince} suffix="" />
            </dd>
          </div>
        )}
        {r.standbySince && role === "standby" && (
          <div className="flex gap-2">
            <dt className="w-20 shrink-0 text-slate-500">Standby</dt>
            <dd>
              since <TimeAgo at={r.standbySince} />
            </dd>
          </div>
        )}
      </dl>
      <div className="mt-3 grid grid-cols-3 gap-2">
        <Stat label="req/s" value={side.stats.rps.toFixed(1)} />
        <Stat label="5xx" value={String(side.stats.errors5xx)} />
        <Stat label="resp. time" value={side.stats.rtimeMs === null ? "—" : `${Math.round(side.stats.rtimeMs)} ms`} />
      </div>
      <SideContainers containers={side.containers} quarantine={quarantine} />
    </article>
  );
}

export function EmptySide({ title, text }: { title: string; text: string }) {
  return (
    <div className="flex min-h-48 flex-col items-center justify-center rounded-lg border border-dashed border-slate-300 p-6 text-center">
      <p className="font-medium text-slate-700">{title}</p>
      <p className="mt-1 text-sm text-slate-500">{text}</p>
    </div>
  );
}
