"use client";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { ROLES } from "@/server/auth/roles";
import { UserInput } from "@/server/users/userInput";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { useCreateUser } from "./queries";

const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

/** A new user: name, role and an initial password (the same zod schema as the API). */
export function UserForm({ onCreated, onCancel }: { onCreated: (user: UserInput) => void; onCancel: () => void }) {
  const create = useCreateUser();
  /** The form's own check failed; the request was not sent. */
  const [invalid, setInvalid] = useState<Error | null>(null);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const check = UserInput.safeParse({
      username: String(f.get("username") ?? ""),
      password: String(f.get("password") ?? ""),
      role: String(f.get("role") ?? ""),
    });
    create.reset();
    setInvalid(check.success ? null : new Error(z.prettifyError(check.error)));
    if (check.success) create.mutate(check.data, { onSuccess: () => onCreated(check.data) });
  }
  return (
    <form
      onSubmit={submit}
      noValidate
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      data-testid="user-form"
    >
      <div className="grid gap-3 sm:grid-cols-3">
        <label className="text-sm">
          Username
          <input name="username" autoComplete="off" autoFocus className={input} />
        </label>
        <label className="text-sm">
          Initial password
          <input name="password" type="password" autoComplete="new-password" className={input} />
        </label>
        <label className="text-sm">
          Role
          <select name="role" defaultValue="viewer" className={input}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="text-xs text-slate-500">
        Viewers read everything but secret values; operators deploy, switch, roll back, retire and quarantine; admins also manage hosts,
        users and ignore rules.
      </p>
      <ErrorBox error={invalid ?? create.error} />
      <div className="flex gap-2">
        <button disabled={create.isPending} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-50">
          Create user
        </button>
        <button type="button" onClick={onCancel} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
          Cancel
        </button>
      </div>
    </form>
  );
}
