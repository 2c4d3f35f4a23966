"use client";
import { useState } from "react";
import { Badge } from "@/components/ui/Badge";
import { ConfirmButton } from "@/components/ui/ConfirmButton";
import { TimeAgo } from "@/components/ui/TimeAgo";
import type { ReleaseView } from "@/server/services/serviceOverview";
import { CompareReleases, type ReleasePair } from "./CompareReleases";

const TONE = { live: "green", candidate: "blue", standby: "amber", deploying: "slate", retired: "slate", failed: "red" } as const;

export function ReleaseHistory({
  name,
  releases,
  canReplay,
  onReplay,
}: {
  name: string;
  releases: ReleaseView[];
  canReplay: boolean;
  onReplay: (n: number) => void;
}) {
  const [pair, setPair] = useState<ReleasePair | null>(null);
  const latestTwo = releases.length >= 2 ? { from: releases[1]!.number, to: releases[0]!.number } : null;
  return (
    <section className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <div className="flex items-center border-b border-slate-100 px-4 py-2">
        <h2 className="font-semibold">Releases</h2>
        {latestTwo && (
          <button type="button" onClick={() => setPair(pair ? null : latestTwo)} className="ml-auto text-sm text-blue-700 hover:underline">
            {pair ? "Close compare" : "Compare releases"}
          </button>
        )}
      </div>
      {pair && <CompareReleases name={name} releases={releases} pair={pair} onPair={setPair} />}
      {releases.length === 0 ? (
        <p className="p-4 text-sm text-slate-500">No releases yet.</p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="release-history">
          <thead className="text-xs tracking-wide text-slate-400 uppercase">
            <tr>
              <th className="px-4 py-2">#</th>
              <th className="px-2 py-2">Status</th>
              <th className="px-2 py-2">Image (as asked)</th>
              <th className="px-2 py-2">Digest</th>
              <th className="px-2 py-2">By</th>
              <th className="px-2 py-2">When</th>
              <th />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {releases.map((r, i) => (
              <tr key={r.id} data-testid={`release-${r.number}`} className="align-top">
                <td className="px-4 py-2 font-medium">{r.number}</td>
                <td className="px-2 py-2">
                  <Badge tone={TONE[r.status]}>{r.status}</Badge>
                  {r.failureReason && (
                    <p className="mt-1 max-w-md text-xs text-red-700" data-testid="failure-reason">
                      {r.failureReason}
                    </p>
                  )}
                </td>
                <td className="px-2 py-2 font-mono text-xs">{r.imageRef}</td>
                <td className="px-2 py-2 font-mono text-xs" title={r.imageDigest ?? ""}>
                  {r.imageDigest?.split("@")[1]?.slice(7, 19) ?? "—"}
                </td>
                <td className="px-2 py-2">{r.createdBy}</td>
                <td className="px-2 py-2">
                  <TimeAgo at={r.createdAt} />
                </td>
                <td className="space-x-2 px-2 py-2 text-right whitespace-nowrap">
                  {releases[i + 1] && (
                    <button
                      type="button"
                      onClick={() => setPair({ from: releases[i + 1]!.number, to: r.number })}
                      title={`What changed from release ${releases[i + 1]!.number} to ${r.number}`}
                      className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50"
                    >
                      Changes
                    </button>
                  )}
                  {r.imageDigest && (r.status === "retired" || r.status === "failed") && (
                    <ConfirmButton
                      label="Replay"
                      disabled={!canReplay}
                      disabledReason="Needs the operator role, and no operation in progress."
                      title={`Replay release ${r.number}?`}
                      description={
                        <>
                          Deploys exactly {r.imageDigest} with release {r.number}&apos;s spec as a new release, into preview.
                        </>
                      }
                      onConfirm={() => onReplay(r.number)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
