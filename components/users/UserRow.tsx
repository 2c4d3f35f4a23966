"use client";
import { useState } from "react";
import { ROLES, type Role } from "@/server/auth/roles";
import type { UserPatch } from "@/server/users/userInput";
import { TimeAgo } from "@/components/ui/TimeAgo";
import type { UserView } from "@/server/users/userView";

const control = "rounded-md border border-slate-300 px-2 py-1 text-sm disabled:opacity-40";

/** One user: change the role, set a new password (either ends their sessions), delete. */
export function UserRow({
  user,
  isSelf,
  lastAdmin,
  busy,
  onChange,
  onDelete,
}: {
  user: UserView;
  isSelf: boolean;
  lastAdmin: boolean;
  busy: boolean;
  onChange: (patch: UserPatch) => void;
  onDelete: () => void;
}) {
  const [password, setPassword] = useState("");
  const roleLocked = lastAdmin ? "The last admin keeps the admin role; make another user admin first." : undefined;
  const deleteBlocked = isSelf ? "You cannot delete yourself." : lastAdmin ? "The last admin cannot be deleted." : undefined;
  return (
    <tr data-testid={`user-row-${user.username}`} className="align-middle">
      <td className="px-3 py-2 font-medium">
        {user.username}
        {isSelf && <span className="ml-1 text-xs text-slate-400">(you)</span>}
      </td>
      <td className="px-3 py-2">
        <select
          aria-label={`Role of ${user.username}`}
          value={user.role}
          disabled={busy || Boolean(roleLocked)}
          title={roleLocked}
          onChange={(e) => {
            const role = e.target.value as Role;
            if (window.confirm(`Make ${user.username} ${role}? Their sessions end; they log in again.`)) onChange({ role });
          }}
          className={control}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </td>
      <td className="px-3 py-2 text-sm">{user.sessions}</td>
      <td className="px-3 py-2 text-sm">{user.tokens}</td>
      <td className="px-3 py-2 text-sm">
        <TimeAgo at={user.createdAt} />
      </td>
      <td className="px-3 py-2">
        <form
          className="flex gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            onChange({ password });
            setPassword("");
          }}
        >
          <input
            type="password"
            autoComplete="new-password"
            aria-label={`New password for ${user.username}`}
            placeholder="new password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            className={`${control} w-36`}
          />
          <button disabled={busy || password.length === 0} className={control}>
            Set
          </button>
        </form>
      </td>
      <td className="px-3 py-2 text-right">
        <button
          disabled={busy || Boolean(deleteBlocked)}
          title={deleteBlocked}
          onClick={() => {
            if (window.confirm(`Delete ${user.username} with their sessions and API tokens? The release log keeps their name.`)) onDelete();
          }}
          className="rounded-md border border-red-300 px-2 py-1 text-sm text-red-700 disabled:opacity-40"
        >
          Delete
        </button>
      </td>
    </tr>
  );
}
