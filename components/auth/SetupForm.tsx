"use client";
import { useState, type FormEvent } from "react";
import { apiFetch } from "@/components/apiFetch";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { AuthCard, buttonClass, inputClass } from "./AuthCard";

export function SetupForm() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    if (f.get("password") !== f.get("confirm")) return setError(new Error("The two passwords differ."));
    setBusy(true);
    setError(null);
    try {
      const body = { username: f.get("username"), password: f.get("password") };
      await apiFetch("/api/setup", { method: "POST", body });
      await apiFetch("/api/auth/login", { method: "POST", body });
      window.location.assign("/");
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }
  return (
    <AuthCard title="Create the first admin">
      <p className="mb-3 text-sm text-slate-600">No account exists yet. The account you create here administers hosts and users.</p>
      <form onSubmit={submit} className="space-y-3">
        <label className="block text-sm">Username<input name="username" required className={inputClass} /></label>
        <label className="block text-sm">Password (10+ characters)<input name="password" type="password" minLength={10} required className={inputClass} /></label>
        <label className="block text-sm">Repeat password<input name="confirm" type="password" minLength={10} required className={inputClass} /></label>
        <ErrorBox error={error} />
        <button disabled={busy} className={buttonClass}>{busy ? "Creating…" : "Create admin"}</button>
      </form>
    </AuthCard>
  );
}
