"use client";
import { useState, type FormEvent } from "react";
import { apiFetch } from "@/components/apiFetch";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { AuthCard, buttonClass, inputClass } from "./AuthCard";

export function LoginForm() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await apiFetch("/api/auth/login", { method: "POST", body: { username: f.get("username"), password: f.get("password") } });
      window.location.assign("/");
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }
  return (
    <AuthCard title="Log in">
      <form onSubmit={submit} className="space-y-3">
        <label className="block text-sm">Username<input name="username" autoComplete="username" required className={inputClass} /></label>
        <label className="block text-sm">Password<input name="password" type="password" autoComplete="current-password" required className={inputClass} /></label>
        <ErrorBox error={error} />
        <button disabled={busy} className={buttonClass}>{busy ? "Logging in…" : "Log in"}</button>
      </form>
    </AuthCard>
  );
}
