"use client";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { Badge } from "@/components/ui/Badge";
import { HostForm } from "./HostForm";
import type { HostView } from "@/server/hosts/hostView";
import { hostsQuery, useRemoveHost } from "./queries";

export function HostsAdmin({ canEdit }: { canEdit: boolean }) {
  const q = useQuery(hostsQuery());
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const remove = useRemoveHost();
  const reason = canEdit ? undefined : "Only admins can change hosts.";
  return (
    <section className="space-y-4">
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold">Docker hosts</h1>
        <button
          disabled={!canEdit}
          title={reason}
          onClick={() => setEditing("new")}
          className="ml-auto rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-40"
        >
          Add host
        </button>
      </div>
      {editing === "new" && <HostForm onCancel={() => setEditing(null)} onSaved={() => setEditing(null)} />}
      <ErrorBox error={q.error ?? remove.error} />
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm">
        {q.data?.hosts.length === 0 && <li className="p-4 text-slate-500">No hosts.</li>}
        {q.data?.hosts.map((h) => (
          <li key={h.id} className="p-4" data-testid={`host-row-${h.name}`}>
            {editing === h.id ? (
              <HostForm host={h} onCancel={() => setEditing(null)} onSaved={() => setEditing(null)} />
            ) : (
              <div className="flex items-center gap-3">
                <span className="font-medium">{h.name}</span>
                <span className="font-mono text-xs text-slate-500">{h.url}</span>
                {h.tls && <Badge tone="blue">TLS</Badge>}
                {h.ssh && <Badge tone="blue">SSH</Badge>}
                {h.insecure && (
                  <span
                    title="Plain tcp:// without TLS: anyone on the network can read and drive this engine."
                    data-testid="insecure-badge"
                  >
                    <Badge tone="red">insecure: no TLS</Badge>
                  </span>
                )}
                <HostKeyLine host={h} />
                <div className="ml-auto flex gap-2">
                  <button
                    disabled={!canEdit}
                    title={reason}
                    onClick={() => setEditing(h.id)}
                    className="rounded-md border border-slate-300 px-2 py-1 text-sm disabled:opacity-40"
                  >
                    Edit
                  </button>
                  <button
                    disabled={!canEdit || remove.isPending}
                    title={reason}
                    onClick={() => {
                      if (window.confirm(`Remove host '${h.name}' from Switchyard? Its engine and containers are not touched.`))
                        remove.mutate(h);
                    }}
                    className="rounded-md border border-red-300 px-2 py-1 text-sm text-red-700 disabled:opacity-40"
                  >
                    Remove
                  </button>
                </div>
              </div>
            )}
            {editing !== h.id && h.lastError && (
              <p className="mt-1 text-xs text-red-700" data-testid="host-last-error">
                Unreachable: {h.lastError}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The pinned SSH host key, or a warning when an ssh:// host has none (every connection is refused). */
function HostKeyLine({ host }: { host: HostView }) {
  if (!host.ssh) return null;
  if (!host.hostKeyFingerprint) return <Badge tone="red">no host key pinned</Badge>;
  return (
    <span className="font-mono text-xs text-slate-500" title="Pinned SSH host key: every connection checks it" data-testid="host-key">
      host key {host.hostKeyFingerprint}
    </span>
  );
}
