"use client";
import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/Badge";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { TimeAgo } from "@/components/ui/TimeAgo";
import { managedRoutingQuery } from "./queries";

const OUTCOME_TONE = { ok: "green", invalid: "amber", failed: "red" } as const;

/** The HAProxy part of the hosts settings: managed frontends/backends per service, the include file, the last reloads. */
export function ManagedRoutingPanel() {
  const q = useQuery(managedRoutingQuery());
  const v = q.data;
  return (
    <section className="space-y-3" data-testid="managed-routing">
      <h2 className="text-xl font-semibold">HAProxy: managed routing</h2>
      <ErrorBox error={q.error} />
      {v && !v.paths && (
        <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-600 shadow-sm">
          {v.error ??
            "Not configured: services route only to backends written in haproxy.cfg. Set SWITCHYARD_HAPROXY_CONFIG, SWITCHYARD_HAPROXY_MANAGED_FILE and SWITCHYARD_HAPROXY_MASTER_SOCKET to let Switchyard create them (README, Routing)."}
        </p>
      )}
      {v?.paths && (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
          <dt className="text-slate-500">Include file</dt>
          <dd className="font-mono text-xs break-all">{v.paths.managedFile}</dd>
          <dt className="text-slate-500">Validated with</dt>
          <dd className="font-mono text-xs break-all">haproxy -c {v.paths.config.map((p) => `-f ${p}`).join(" ")}</dd>
          <dt className="text-slate-500">Master CLI</dt>
          <dd className="font-mono text-xs break-all">{v.paths.masterSocket}</dd>
        </dl>
      )}
      {v && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-xs text-slate-500">
              <tr>
                <th className="px-3 py-2">Service</th>
                <th className="px-3 py-2">Mode</th>
                <th className="px-3 py-2">Frontend</th>
                <th className="px-3 py-2">Bind</th>
                <th className="px-3 py-2">Backend</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {v.services.length === 0 && (
                <tr>
                  <td colSpan={5} className="px-3 py-3 text-slate-500">
                    No service uses managed routing.
                  </td>
                </tr>
              )}
              {v.services.flatMap((s) =>
                s.frontends.map((f, i) => (
                  <tr key={f.name} data-testid={`managed-frontend-${f.name}`}>
                    <td className="px-3 py-2 font-medium">{i === 0 ? s.service : ""}</td>
                    <td className="px-3 py-2">{i === 0 ? s.mode : ""}</td>
                    <td className="px-3 py-2 font-mono text-xs">{f.name}</td>
                    <td className="px-3 py-2 font-mono text-xs">{f.bind}</td>
                    <td className="px-3 py-2 font-mono text-xs">{f.backend}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      )}
      {v && (
        <div className="space-y-1">
          <h3 className="text-sm font-semibold text-slate-700">Last reloads</h3>
          {v.reloads.length === 0 ? (
            <p className="text-sm text-slate-500">None yet.</p>
          ) : (
            <ul
              className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm shadow-sm"
              data-testid="managed-reloads"
            >
              {v.reloads.map((r) => (
                <li key={r.id} className="space-y-1 px-3 py-2">
                  <div className="flex flex-wrap items-center gap-3">
                    <Badge tone={OUTCOME_TONE[r.outcome as keyof typeof OUTCOME_TONE] ?? "slate"}>{r.outcome}</Badge>
                    <span className="font-mono text-xs">{r.durationMs} ms</span>
                    <span className="text-slate-600">{r.trigger}</span>
                    <span className="ml-auto text-xs text-slate-500">
                      <TimeAgo at={r.startedAt} />
                    </span>
                  </div>
                  {r.error && <pre className="overflow-x-auto text-xs whitespace-pre-wrap text-red-700">{r.error}</pre>}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {v?.paths && (
        <details className="rounded-lg border border-slate-200 bg-white shadow-sm" open={Boolean(v.file)}>
          <summary className="cursor-pointer px-3 py-2 text-sm font-semibold text-slate-700">Include file (read-only)</summary>
          <pre className="max-h-96 overflow-auto border-t border-slate-100 bg-slate-50 p-3 font-mono text-xs" data-testid="managed-file">
            {v.file ?? "(not written yet)"}
          </pre>
        </details>
      )}
    </section>
  );
}
