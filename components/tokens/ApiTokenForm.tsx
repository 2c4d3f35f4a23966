"use client";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { useQuery } from "@tanstack/react-query";
import { ApiTokenInput } from "@/server/auth/apiTokenInput";
import type { CreatedApiToken } from "@/server/auth/createApiToken";
import { ROLES, roleAllows, type Role } from "@/server/auth/roles";
import { servicesQuery } from "@/components/services/queries";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { useCreateApiToken } from "./queries";

const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

/** Name a new token and pick its role: the user's own role or a lower one. */
export function ApiTokenForm({
  userRole,
  onCreated,
  onCancel,
}: {
  userRole: Role;
  onCreated: (created: CreatedApiToken) => void;
  onCancel: () => void;
}) {
  const create = useCreateApiToken();
  /** The form's own check failed; the request was not sent. */
  const [invalid, setInvalid] = useState<Error | null>(null);
  const roles = ROLES.filter((r) => roleAllows(userRole, r));
  const defaultRole: Role = roleAllows(userRole, "operator") ? "operator" : "viewer";
  const services = useQuery(servicesQuery());
  const [scoped, setScoped] = useState(false);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const picked = f.getAll("services").map(String);
    const check = ApiTokenInput.safeParse({
      name: String(f.get("name") ?? ""),
      role: String(f.get("role") ?? ""),
      ...(scoped ? { services: picked } : {}),
    });
    create.reset();
    setInvalid(check.success ? null : new Error(z.prettifyError(check.error)));
    if (check.success) create.mutate(check.data, { onSuccess: onCreated });
  }
  return (
    <form onSubmit={submit} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="token-form">
      <div className="grid gap-3 sm:grid-cols-[2fr_1fr]">
        <label className="text-sm">
          Name
          <input name="name" required maxLength={64} placeholder="ci-demo-web" autoFocus className={input} />
        </label>
        <label className="text-sm">
          Role
          <select name="role" defaultValue={defaultRole} className={input}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="text-sm">
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={scoped} onChange={(e) => setScoped(e.target.checked)} />
          Limit to services (it can still read everything its role allows)
        </label>
        {scoped && (
          <div className="mt-2 flex flex-wrap gap-3 rounded-md border border-slate-200 p-2" data-testid="token-services">
            {services.data?.services.length === 0 && <span className="text-slate-500">No services yet.</span>}
            {services.data?.services.map((s) => (
              <label key={s.name} className="flex items-center gap-1 font-mono text-xs">
                <input type="checkbox" name="services" value={s.name} /> {s.name}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <p className="text-xs text-slate-500">
        A pipeline that deploys or redeploys needs the operator role. A token never has more rights than you; a token limited to services
        may change only those.
      </p>
      <ErrorBox error={invalid ?? create.error} />
      <div className="flex gap-2">
        <button disabled={create.isPending} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-50">
          Create token
        </button>
        <button type="button" onClick={onCancel} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
          Cancel
        </button>
      </div>
    </form>
  );
}
