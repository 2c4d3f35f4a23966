"use client";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { UserInput, UserPatch } from "@/server/users/userInput";
import { apiFetch } from "@/components/apiFetch";
import { ErrorBox } from "@/components/ui/ErrorBox";
import type { UserView } from "./types";
import { UserForm } from "./UserForm";
import { UserRow } from "./UserRow";

/** /settings/users (admins): create users, change roles and passwords, delete. Every change is in the release log. */
export function UsersAdmin({ currentUserId, canEdit }: { currentUserId: number; canEdit: boolean }) {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ["users"], queryFn: () => apiFetch<{ users: UserView[] }>("/api/users"), enabled: canEdit });
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ["users"] });
  const change = useMutation({
    mutationFn: ({ user, patch }: { user: UserView; patch: UserPatch }) => apiFetch<{ user: UserView }>(`/api/users/${user.id}`, { method: "PATCH", body: patch }),
    onSuccess: (_res, { user, patch }) => setNotice(`${user.username}: ${patch.role ? `now ${patch.role}` : "new password set"}; their sessions ended.`),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (user: UserView) => apiFetch(`/api/users/${user.id}`, { method: "DELETE" }),
    onSuccess: (_res, user) => setNotice(`${user.username} deleted.`),
    onSettled: refresh,
  });
  if (!canEdit) return <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">Managing users needs the admin role.</p>;
  const users = q.data?.users ?? [];
  const admins = users.filter((u) => u.role === "admin").length;
  const busy = change.isPending || remove.isPending;
  return (
    <section className="space-y-4">
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold">Users</h1>
        <button disabled={creating} onClick={() => setCreating(true)} className="ml-auto rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-40">New user</button>
      </div>
      {creating && (
        <UserForm
          onCancel={() => setCreating(false)}
          onSubmit={async (body: UserInput) => {
            await apiFetch("/api/users", { method: "POST", body });
            setCreating(false);
            setNotice(`${body.username} created as ${body.role}.`);
            await refresh();
          }}
        />
      )}
      {notice && <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800" role="status">{notice}</p>}
      <ErrorBox error={q.error ?? change.error ?? remove.error} />
      {q.isPending && <p className="text-slate-500">Loading users…</p>}
      {q.data && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-left">
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-3 py-2 font-medium">User</th>
                <th className="px-3 py-2 font-medium">Role</th>
                <th className="px-3 py-2 font-medium">Sessions</th>
                <th className="px-3 py-2 font-medium">Tokens</th>
                <th className="px-3 py-2 font-medium">Created</th>
                <th className="px-3 py-2 font-medium">Password</th>
                <th className="px-3 py-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {users.map((u) => (
                <UserRow
                  key={u.id}
                  user={u}
                  isSelf={u.id === currentUserId}
                  lastAdmin={u.role === "admin" && admins === 1}
                  busy={busy}
                  onChange={(patch) => {
                    setNotice(null);
                    change.mutate({ user: u, patch });
                  }}
                  onDelete={() => {
                    setNotice(null);
                    remove.mutate(u);
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
