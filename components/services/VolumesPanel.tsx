"use client";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/Badge";
import { ConfirmButton } from "@/components/ui/ConfirmButton";
import { ErrorBox } from "@/components/ui/ErrorBox";
import type { ServiceVolumeView } from "@/server/volumes/listServiceVolumes";
import { serviceVolumesQuery, useDeleteVolume } from "./queries";

const UNITS = ["B", "KB", "MB", "GB", "TB"] as const;

/** 1536 → "1.5 KB"; null → "size unknown" (the engine did not report it). */
function formatSize(bytes: number | null): string {
  if (bytes === null) return "size unknown";
  let n = bytes;
  let unit = 0;
  while (n >= 1024 && unit < UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${unit === 0 ? n : n.toFixed(n < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/**
 * The service's data volumes, one row per host copy: where the data lives, its
 * size and the containers that mount it. Admins delete one host's copy here,
 * after a confirmation naming the host and the size.
 */
export function VolumesPanel({ name, canDelete }: { name: string; canDelete: boolean }) {
  const q = useQuery({ ...serviceVolumesQuery(name), refetchInterval: 10_000 });
  const del = useDeleteVolume(name);
  const [notice, setNotice] = useState<string | null>(null);
  const volumes = q.data?.volumes ?? [];
  const remove = (v: ServiceVolumeView) => {
    setNotice(null);
    del.mutate(
      { volume: v.volume, host: v.host },
      { onSuccess: (res) => setNotice(`Deleted volume ${res.volume} on ${res.host} (${res.deleted.join(", ")}).`) },
    );
  };
  return (
    <section className="rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="volumes-panel">
      <div className="flex items-baseline gap-2 border-b border-slate-100 px-4 py-2">
        <h2 className="font-semibold">Volumes</h2>
        <p className="text-xs text-slate-500">
          Kept across releases, one copy per host. Retire and service delete leave them alone; back them up yourself.
        </p>
      </div>
      {q.isPending && <p className="p-4 text-sm text-slate-500">Loading volumes…</p>}
      <div className="space-y-2 px-4 pt-2 empty:hidden">
        {q.error && <ErrorBox error={q.error} />}
        {q.data?.unreachable.map((h) => (
          <ErrorBox key={h.host} error={`Host ${h.host} is unreachable, its volumes are not listed: ${h.error}`} />
        ))}
        {del.error && <ErrorBox error={del.error} />}
        {notice && <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{notice}</p>}
      </div>
      {q.data && volumes.length === 0 && (
        <p className="p-4 text-sm text-slate-500">
          No volume exists yet: the first deploy creates one on each host the service is placed on.
        </p>
      )}
      {volumes.length > 0 && (
        <table className="w-full text-left text-sm" data-testid="volumes-list">
          <thead className="text-xs tracking-wide text-slate-400 uppercase">
            <tr>
              <th className="px-4 py-2">Host</th>
              <th className="px-2 py-2">Volume</th>
              <th className="px-2 py-2">Size</th>
              <th className="px-2 py-2">Mountpoint</th>
              <th className="px-2 py-2">Used by</th>
              <th className="w-24" />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {volumes.map((v) => (
              <tr key={`${v.host}/${v.volume}`} className="align-top" data-testid={`volume-${v.host}-${v.volume}`}>
                <td className="px-4 py-2 font-medium">{v.host}</td>
                <td className="px-2 py-2">
                  <span className="font-medium">{v.volume}</span>
                  <p className="font-mono text-xs text-slate-500">{v.dockerVolume}</p>
                </td>
                <td className="px-2 py-2 whitespace-nowrap">{formatSize(v.sizeBytes)}</td>
                <td className="max-w-xs px-2 py-2 font-mono text-xs break-all">{v.mountpoint}</td>
                <td className="px-2 py-2">
                  {v.usedBy.length === 0 ? (
                    <Badge tone="slate">unused</Badge>
                  ) : (
                    v.usedBy.map((c) => (
                      <p key={c} className="font-mono text-xs">
                        {c}
                      </p>
                    ))
                  )}
                </td>
                {/* Not text-right: the confirmation dialog would inherit it. */}
                <td className="px-2 py-2">
                  {canDelete && (
                    <ConfirmButton
                      label="Delete"
                      tone="danger"
                      disabled={del.isPending}
                      title={`Delete volume ${v.volume} on ${v.host}?`}
                      confirmLabel={`Delete ${formatSize(v.sizeBytes)} on ${v.host}`}
                      description={
                        <>
                          <p>
                            Deletes <span className="font-mono">{v.dockerVolume}</span> on host <strong>{v.host}</strong> with all its data
                            (<strong>{formatSize(v.sizeBytes)}</strong>, in <span className="font-mono break-all">{v.mountpoint}</span>).
                            Other hosts keep their copies. This cannot be undone.
                          </p>
                          {v.usedBy.length > 0 && (
                            <p className="mt-2 text-amber-700">
                              In use by {v.usedBy.join(", ")}: the server refuses until those containers are retired or removed.
                            </p>
                          )}
                        </>
                      }
                      onConfirm={() => remove(v)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="h-2" />
    </section>
  );
}
