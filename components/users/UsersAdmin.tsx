"use client";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { useDeleteUser, usersQuery, useUpdateUser } from "./queries";
import { UserForm } from "./UserForm";
import { UserRow } from "./UserRow";

/** /settings/users (admins): create users, change roles and passwords, delete. Every change is in the release log. */
export function UsersAdmin({ currentUserId, canEdit }: { currentUserId: number; canEdit: boolean }) {
  const q = useQuery({ ...usersQuery(), enabled: canEdit });
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const change = useUpdateUser();
  const remove = useDeleteUser();
  if (!canEdit)
    return (
      <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
        Managing users needs the admin role.
      </p>
    );
  const users = q.data?.users ?? [];
  const admins = users.filter((u) => u.role === "admin").length;
  const busy = change.isPending || remove.isPending;
  return (
    <section className="space-y-4">
      <div className="flex items-center gap-3">
        <h1 className="text-2xl font-semibold">Users</h1>
        <button
          disabled={creating}
          onClick={() => setCreating(true)}
          className="ml-auto rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-40"
        >
          New user
        </button>
      </div>
      {creating && (
        <UserForm
          onCancel={() => setCreating(false)}
          onCreated={(body) => {
            setCreating(false);
            setNotice(`${body.username} created as ${body.role}.`);
          }}
        />
      )}
      {notice && (
        <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800" role="status">
          {notice}
        </p>
      )}
      <ErrorBox error={q.error ?? change.error ?? remove.error} />
      {q.isPending && <p className="text-slate-500">Loading users…</p>}
      {q.data && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-left">
            <thead className="border-b border-slate-200 text-xs tracking-wide text-slate-500 uppercase">
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
                    change.mutate(
                      { user: u, patch },
                      {
                        onSuccess: () =>
                          setNotice(`${u.username}: ${patch.role ? `now ${patch.role}` : "new password set"}; their sessions ended.`),
                      },
                    );
                  }}
                  onDelete={() => {
                    setNotice(null);
                    remove.mutate(u, { onSuccess: () => setNotice(`${u.username} deleted.`) });
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
