import Link from "next/link";
import { Badge } from "@/components/ui/Badge";
import { QuarantineButton } from "@/components/quarantine/QuarantineButton";
import type { SideContainer } from "@/server/services/serviceOverview";

function healthTone(c: SideContainer): "green" | "red" | "amber" | "slate" {
  const s = c.haproxy?.status ?? "";
  if (s.startsWith("UP")) return "green";
  if (s.startsWith("DOWN")) return "red";
  if (s.includes("DRAIN") || s.startsWith("MAINT") || s.startsWith("NOLB")) return "amber";
  return "slate";
}

export function SideContainers({ containers, quarantine }: { containers: SideContainer[]; quarantine?: { blockedReason?: string } }) {
  if (containers.length === 0) return <p className="mt-3 text-sm text-slate-500">No containers.</p>;
  return (
    <table className="mt-3 w-full text-left text-xs">
      <thead className="text-slate-400">
        <tr>
          <th className="py-1 font-normal">Container</th>
          <th className="py-1 font-normal">Host</th>
          <th className="py-1 font-normal">State</th>
          <th className="py-1 font-normal">HAProxy</th>
          {quarantine && (
            <th className="py-1 font-normal">
              <span className="sr-only">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {containers.map((c) => (
          <tr key={c.name} data-testid={`container-${c.name}`}>
            <td className="py-1.5 pr-2 font-mono">
              {c.dockerId ? (
                <Link href={`/hosts/${c.hostId}/containers/${c.name}/logs`} title="Logs" className="hover:underline">
                  {c.name}
                </Link>
              ) : (
                c.name
              )}
              <span className="text-slate-400">:{c.port}</span>
            </td>
            <td className="py-1.5 pr-2">
              {c.host}
              {!c.hostReachable && (
                <span className="ml-1 text-red-600" title={c.hostError ?? ""}>
                  (unreachable)
                </span>
              )}
            </td>
            <td className="py-1.5 pr-2">
              <Badge tone={c.state === "running" ? "green" : c.state === "unknown" ? "slate" : "red"}>{c.state}</Badge>
              {c.status && <span className="ml-1 text-slate-500">{c.status}</span>}
            </td>
            <td className="py-1.5">
              {c.quarantined ? (
                <Link href="/quarantine" title="Out of traffic for debugging; destroyed by its timer" className="hover:underline">
                  <Badge tone="amber">quarantined</Badge>
                </Link>
              ) : c.haproxy ? (
                <span title={`check: ${c.haproxy.checkStatus}, weight ${c.haproxy.weight}`}>
                  <Badge tone={healthTone(c)}>{c.haproxy.status}</Badge> <span className="text-slate-500">w{c.haproxy.weight}</span>
                </span>
              ) : (
                <span className="text-slate-400">not registered</span>
              )}
            </td>
            {quarantine && (
              <td className="py-1.5 text-right">
                {!c.quarantined && c.dockerId && (
                  <QuarantineButton
                    hostId={c.hostId}
                    container={c.dockerId}
                    name={c.name}
                    disabled={Boolean(quarantine.blockedReason) || c.state !== "running"}
                    disabledReason={quarantine.blockedReason ?? "Only a running container can be quarantined."}
                  />
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
