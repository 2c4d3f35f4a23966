"use client";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import type { Role } from "@/server/auth/roles";
import type { CreatedApiToken } from "@/server/auth/createApiToken";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { tokensQuery, useRevokeApiToken } from "./queries";
import { ApiTokenForm } from "./ApiTokenForm";
import { ApiTokenRow } from "./ApiTokenRow";
import { NewTokenBox } from "./NewTokenBox";

/** /settings/tokens: the user's API tokens (everyone's for admins), create and revoke. */
export function ApiTokensAdmin({ userRole }: { userRole: Role }) {
  const q = useQuery(tokensQuery());
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const revoke = useRevokeApiToken();
  const showOwner = userRole === "admin";
  const tokens = q.data?.tokens ?? [];
  return (
    <section className="space-y-4">
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold">API tokens</h1>
        <button
          disabled={creating || created !== null}
          onClick={() => setCreating(true)}
          className="ml-auto rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-40"
        >
          New token
        </button>
      </div>
      <p className="text-sm text-slate-600">
        Tokens let CI pipelines call the API with <code className="font-mono text-xs">Authorization: Bearer …</code>. A token acts as you,
        with its role or yours, whichever is lower. The API is described at{" "}
        <a href="/api/openapi.json" className="text-blue-700 hover:underline">
          /api/openapi.json
        </a>
        .
      </p>
      {creating && (
        <ApiTokenForm
          userRole={userRole}
          onCancel={() => setCreating(false)}
          onCreated={(token) => {
            setCreated(token);
            setCreating(false);
          }}
        />
      )}
      {created && <NewTokenBox created={created} onDone={() => setCreated(null)} />}
      <ErrorBox error={q.error ?? revoke.error} />
      {q.isPending && <p className="text-slate-500">Loading tokens…</p>}
      {q.data && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-left">
            <thead className="border-b border-slate-200 text-xs tracking-wide text-slate-500 uppercase">
              <tr>
                <th className="px-3 py-2 font-medium">Name</th>
                <th className="px-3 py-2 font-medium">Role</th>
                <th className="px-3 py-2 font-medium">Services</th>
                {showOwner && <th className="px-3 py-2 font-medium">Owner</th>}
                <th className="px-3 py-2 font-medium">Created</th>
                <th className="px-3 py-2 font-medium">Last used</th>
                <th className="px-3 py-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tokens.length === 0 && (
                <tr>
                  <td colSpan={showOwner ? 7 : 6} className="p-4 text-slate-500">
                    No API tokens yet.
                  </td>
                </tr>
              )}
              {tokens.map((t) => (
                <ApiTokenRow key={t.id} token={t} showOwner={showOwner} busy={revoke.isPending} onRevoke={() => revoke.mutate(t)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
