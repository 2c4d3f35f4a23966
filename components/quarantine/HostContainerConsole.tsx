"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { DebugConsole } from "./DebugConsole";
import { Transcript } from "./Transcript";
import { consoleTargetQuery } from "./queries";

/** The console reached from a host's container list: the server decides whether it may open, and says why not. */
export function HostContainerConsole({ hostId, container, canOperate }: { hostId: number; container: string; canOperate: boolean }) {
  const target = useQuery({ ...consoleTargetQuery(hostId, container), enabled: canOperate });
  const t = target.data;
  return (
    <section className="space-y-3">
      <div>
        <Link href={`/hosts/${hostId}`} className="text-sm text-blue-700 hover:underline">
          ← host
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">
          Debug console: <span className="font-mono">{container}</span>
        </h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          For quarantined containers only: Switchyard never runs a command in a container that serves traffic.
        </p>
      </div>
      {!canOperate && <p className="text-sm text-slate-600">The debug console needs the operator role.</p>}
      {target.isPending && canOperate && <p className="text-slate-500">Checking the container…</p>}
      {target.error && (
        <div
          role="alert"
          data-testid="console-refused"
          className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900"
        >
          <p className="font-semibold">Refused</p>
          <p className="mt-1">{target.error.message}</p>
        </div>
      )}
      {t && (
        <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <p className="text-sm text-slate-600">
            {t.name} on {t.hostName} is in{" "}
            <Link href="/quarantine" className="text-blue-700 hover:underline">
              quarantine #{t.quarantineId}
            </Link>
            .
          </p>
          <DebugConsole
            url={`/api/hosts/${hostId}/containers/${encodeURIComponent(container)}/console`}
            quarantineId={t.quarantineId}
            name={t.name}
          />
          <Transcript quarantineId={t.quarantineId} />
        </div>
      )}
    </section>
  );
}
