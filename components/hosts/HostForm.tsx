"use client";
import { useState, type FormEvent } from "react";
import { HOST_URL_HINT, HostInput } from "@/server/hosts/hostInput";
import { ErrorBox } from "@/components/ui/ErrorBox";
import type { HostView } from "@/server/hosts/hostView";
import { useSaveHost } from "./queries";

const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono text-xs";

/** Add or edit a host. Key material is write-only: an edit leaves it unchanged unless a new PEM is pasted. */
export function HostForm({ host, onSaved, onCancel }: { host?: HostView; onSaved: () => void; onCancel: () => void }) {
  const save = useSaveHost(host?.id);
  /** The form's own check failed; the request was not sent. */
  const [invalid, setInvalid] = useState<Error | null>(null);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body: Record<string, string> = {};
    for (const k of ["name", "url", "tlsCa", "tlsCert", "tlsKey", "sshKey"]) {
      const v = String(f.get(k) ?? "").trim();
      if (v || k === "name" || k === "url") body[k] = v;
    }
    const check = host ? null : HostInput.safeParse(body);
    save.reset();
    setInvalid(check && !check.success ? new Error(check.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")) : null);
    if (!check || check.success) save.mutate(body, { onSuccess: onSaved });
  }
  return (
    <form onSubmit={submit} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="host-form">
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="text-sm">Name<input name="name" defaultValue={host?.name} required className={input} /></label>
        <label className="text-sm">Engine URL<input name="url" defaultValue={host?.url} placeholder={HOST_URL_HINT} required className={input} /></label>
      </div>
      <details className="text-sm" open={!host && false}>
        <summary className="cursor-pointer text-slate-600">TLS client certificates (tcp://) and SSH key (ssh://){host ? " — leave empty to keep the stored ones" : ""}</summary>
        <div className="mt-2 grid gap-3 sm:grid-cols-2">
          <label>CA certificate<textarea name="tlsCa" rows={3} className={input} placeholder="-----BEGIN CERTIFICATE-----" /></label>
          <label>Client certificate<textarea name="tlsCert" rows={3} className={input} /></label>
          <label>Client key<textarea name="tlsKey" rows={3} className={input} /></label>
          <label>SSH private key<textarea name="sshKey" rows={3} className={input} /></label>
        </div>
      </details>
      <ErrorBox error={invalid ?? save.error} />
      <div className="flex gap-2">
        <button disabled={save.isPending} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-50">{host ? "Save" : "Add host"}</button>
        <button type="button" onClick={onCancel} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">Cancel</button>
      </div>
    </form>
  );
}
