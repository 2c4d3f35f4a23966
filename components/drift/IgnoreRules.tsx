"use client";
import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { servicesQuery } from "@/components/services/queries";
import { ConfirmButton } from "@/components/ui/ConfirmButton";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { TimeAgo } from "@/components/ui/TimeAgo";
import { IgnoreRuleForm } from "./IgnoreRuleForm";
import { ignoreRulesQuery, useDeleteIgnoreRule } from "./queries";

/** /drift/rules: expected noise, global and per service. Everyone reads; admins edit. Changes re-judge the last scan at once. */
export function IgnoreRules({ isAdmin }: { isAdmin: boolean }) {
  const q = useQuery(ignoreRulesQuery());
  const services = useQuery(servicesQuery());
  const [editing, setEditing] = useState<number | null>(null);
  const remove = useDeleteIgnoreRule();
  const names = (services.data?.services ?? []).map((s) => s.name);
  return (
    <section className="space-y-4">
      <p className="text-sm">
        <Link href="/drift" className="text-slate-500 hover:underline">
          ← Drift
        </Link>
      </p>
      <h1 className="text-2xl font-semibold">Ignore rules</h1>
      <p className="text-sm text-slate-600">
        Filesystem changes matching a rule are expected noise: they are counted as ignored, never hidden, and do not make a container
        drifted. Image and config drift cannot be ignored.
      </p>
      {isAdmin ? (
        <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <IgnoreRuleForm services={names} onSaved={() => setEditing(null)} />
        </div>
      ) : (
        <p className="text-sm text-slate-500">Only admins can change the rules.</p>
      )}
      <ErrorBox error={q.error ?? remove.error} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full text-sm" data-testid="rules-table">
          <thead className="bg-slate-50 text-left text-xs tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="px-3 py-2">#</th>
              <th className="px-3 py-2">Pattern</th>
              <th className="px-3 py-2">Applies to</th>
              <th className="px-3 py-2">Note</th>
              <th className="px-3 py-2">Added</th>
              <th />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {(q.data?.rules ?? []).map((r) =>
              editing === r.id ? (
                <tr key={r.id}>
                  <td colSpan={6} className="px-3 py-2">
                    <IgnoreRuleForm rule={r} services={names} onSaved={() => setEditing(null)} onCancel={() => setEditing(null)} />
                  </td>
                </tr>
              ) : (
                <tr key={r.id} data-testid={`rule-${r.pattern}`}>
                  <td className="px-3 py-1.5 text-slate-400">{r.id}</td>
                  <td className="px-3 py-1.5 font-mono text-xs">{r.pattern}</td>
                  <td className="px-3 py-1.5">{r.service ?? <span className="text-slate-500">every service</span>}</td>
                  <td className="px-3 py-1.5 text-slate-600">{r.note}</td>
                  <td className="px-3 py-1.5 text-xs text-slate-500">
                    {r.createdBy}, <TimeAgo at={r.createdAt} />
                  </td>
                  <td className="px-3 py-1.5 text-right">
                    {isAdmin && (
                      <span className="flex justify-end gap-2">
                        <button
                          onClick={() => setEditing(r.id)}
                          className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50"
                        >
                          Edit
                        </button>
                        <ConfirmButton
                          label="Delete"
                          tone="danger"
                          title={`Delete rule ${r.pattern}?`}
                          description="Changes it ignored count as drift again, from the last scan on."
                          onConfirm={() => remove.mutate(r.id)}
                        />
                      </span>
                    )}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
        {q.data && q.data.rules.length === 0 && (
          <p className="p-4 text-sm text-slate-500">No rules: every filesystem change counts as drift.</p>
        )}
      </div>
    </section>
  );
}
