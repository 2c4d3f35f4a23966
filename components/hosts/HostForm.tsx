"use client";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { HOST_URL_HINT, HostInput, isPlainRemoteTcp } from "@/server/hosts/hostInput";
import { ErrorBox } from "@/components/ui/ErrorBox";
import type { HostView } from "@/server/hosts/hostView";
import { useFetchHostKey, useSaveHost, type HostFormBody } from "./queries";

const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono text-xs";

/** Add or edit a host. Key material is write-only: an edit leaves it unchanged unless a new PEM is pasted. */
export function HostForm({ host, onSaved, onCancel }: { host?: HostView; onSaved: () => void; onCancel: () => void }) {
  const save = useSaveHost(host?.id);
  const fetchKey = useFetchHostKey();
  /** The form's own check failed; the request was not sent. */
  const [invalid, setInvalid] = useState<Error | null>(null);
  const [url, setUrl] = useState(host?.url ?? "");
  const [fingerprint, setFingerprint] = useState(host?.hostKeyFingerprint ?? "");
  const ssh = url.trim().startsWith("ssh://");
  const plainTcp = url.trim().startsWith("tcp://");
  const fetched = fetchKey.data;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body: HostFormBody = {};
    for (const k of ["name", "url", "tlsCa", "tlsCert", "tlsKey", "sshKey", "hostKeyFingerprint"]) {
      const v = String(f.get(k) ?? "").trim();
      if (v || k === "name" || k === "url") body[k] = v;
    }
    if (plainTcp) body.insecure = f.get("insecure") === "on";
    // A host moved away from ssh:// drops its pinned key (null removes it on PATCH).
    if (host?.hostKeyFingerprint && !ssh) body.hostKeyFingerprint = null;
    const check = host ? null : HostInput.safeParse(body);
    save.reset();
    setInvalid(check && !check.success ? new Error(z.prettifyError(check.error)) : null);
    if (!check || check.success) save.mutate(body, { onSuccess: onSaved });
  }
  return (
    <form onSubmit={submit} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="host-form">
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="text-sm">
          Name
          <input name="name" defaultValue={host?.name} required className={input} />
        </label>
        <label className="text-sm">
          Engine URL
          <input name="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder={HOST_URL_HINT} required className={input} />
        </label>
      </div>
      {ssh && (
        <div className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm" data-testid="host-key-section">
          <label className="block">
            SSH host key fingerprint <span className="text-slate-500">(checked on every connection)</span>
            <input
              name="hostKeyFingerprint"
              value={fingerprint}
              onChange={(e) => setFingerprint(e.target.value)}
              placeholder="SHA256:..."
              className={input}
            />
          </label>
          <div className="flex flex-wrap items-center gap-2">
            <button
              type="button"
              disabled={fetchKey.isPending}
              onClick={() => fetchKey.mutate(url.trim())}
              className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
            >
              Fetch host key
            </button>
            <span className="text-xs text-slate-500">
              or run <code>ssh-keyscan -p PORT HOST | ssh-keygen -lf -</code>
            </span>
          </div>
          {fetched && (
            <div className="rounded-md border border-amber-300 bg-amber-50 p-2" data-testid="fetched-host-key">
              <p>
                {fetched.url} presents{" "}
                <span className="font-mono">
                  {fetched.keyType} {fetched.fingerprint}
                </span>
                . Compare it with the server&apos;s own (<code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>) before you trust it.
              </p>
              <button
                type="button"
                onClick={() => setFingerprint(fetched.fingerprint)}
                className="mt-1 rounded-md bg-amber-600 px-2 py-1 text-xs text-white"
              >
                Use this fingerprint
              </button>
            </div>
          )}
        </div>
      )}
      {plainTcp && (
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="insecure" defaultChecked={host?.insecure ?? false} className="mt-0.5" />
          <span>
            Insecure: allow plain tcp:// without TLS
            {isPlainRemoteTcp({ url: url.trim() }) ? "" : " (only needed for a non-loopback address)"}. Anyone on the network can then read
            and drive this Docker engine.
          </span>
        </label>
      )}
      <details className="text-sm" open={!host && false}>
        <summary className="cursor-pointer text-slate-600">
          TLS client certificates (tcp://) and SSH key (ssh://){host ? " — leave empty to keep the stored ones" : ""}
        </summary>
        <div className="mt-2 grid gap-3 sm:grid-cols-2">
          <label>
            CA certificate
            <textarea name="tlsCa" rows={3} className={input} placeholder="-----BEGIN CERTIFICATE-----" />
          </label>
          <label>
            Client certificate
            <textarea name="tlsCert" rows={3} className={input} />
          </label>
          <label>
            Client key
            <textarea name="tlsKey" rows={3} className={input} />
          </label>
          <label>
            SSH private key
            <textarea name="sshKey" rows={3} className={input} />
          </label>
        </div>
      </details>
      <ErrorBox error={invalid ?? save.error ?? fetchKey.error} />
      <div className="flex gap-2">
        <button disabled={save.isPending} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-50">
          {host ? "Save" : "Add host"}
        </button>
        <button type="button" onClick={onCancel} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
          Cancel
        </button>
      </div>
    </form>
  );
}
