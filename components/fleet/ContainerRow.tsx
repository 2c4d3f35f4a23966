import Link from "next/link";
import { Badge } from "@/components/ui/Badge";
import { QuarantineButton } from "@/components/quarantine/QuarantineButton";
import type { ContainerSummary } from "@/server/fleet/hostContainers";

export function ContainerRow({ c, hostId, canOperate }: { c: ContainerSummary; hostId: number; canOperate: boolean }) {
  const labels = Object.entries(c.labels);
  return (
    <tr data-testid={`container-${c.name}`} className="align-top">
      <td className="px-3 py-2 font-medium text-slate-900">
        {c.name}
        {canOperate && (
          <Link href={`/hosts/${hostId}/containers/${c.name}/logs`} className="ml-2 text-xs font-normal text-blue-700 hover:underline">
            logs
          </Link>
        )}
      </td>
      <td className="max-w-xs truncate px-3 py-2 font-mono text-xs" title={c.image}>
        {c.image}
      </td>
      <td className="px-3 py-2 font-mono text-xs text-slate-600" title={c.imageId}>
        {c.imageId.replace("sha256:", "").slice(0, 12)}
      </td>
      <td className="px-3 py-2">
        <Badge tone={c.state === "running" ? "green" : c.state === "exited" ? "slate" : "amber"}>{c.state}</Badge>
      </td>
      <td className="px-3 py-2 text-slate-600">{c.status}</td>
      <td className="px-3 py-2">
        {labels.length === 0 ? (
          <span className="text-slate-400">—</span>
        ) : (
          <ul className="space-y-0.5 font-mono text-xs text-slate-600">
            {labels.slice(0, 6).map(([k, v]) => (
              <li key={k} className="max-w-sm truncate" title={`${k}=${v}`}>
                {k}={v}
              </li>
            ))}
            {labels.length > 6 && <li className="text-slate-400">+{labels.length - 6} more</li>}
          </ul>
        )}
      </td>
      <td className="space-x-2 px-3 py-2 text-right whitespace-nowrap">
        {canOperate && c.state === "running" && c.labels["io.switchyard.managed"] === "true" && (
          <Link href={`/hosts/${hostId}/console/${c.name}`} className="text-xs text-slate-600 hover:underline">
            Console
          </Link>
        )}
        {c.name.includes("-quarantined-") ? (
          <Link href="/quarantine" className="text-xs font-medium text-amber-800 hover:underline">
            quarantined
          </Link>
        ) : (
          c.labels["io.switchyard.managed"] === "true" && (
            <QuarantineButton
              hostId={hostId}
              container={c.id}
              name={c.name}
              disabled={!canOperate || c.state !== "running"}
              disabledReason={!canOperate ? "Needs the operator role." : "Only a running container can be quarantined."}
            />
          )
        )}
      </td>
    </tr>
  );
}
