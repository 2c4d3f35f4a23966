"use client";
import type { FormEvent } from "react";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { AuthCard, buttonClass, inputClass } from "./AuthCard";
import { useLogin } from "./queries";

export function LoginForm() {
  const login = useLogin();
  // Stays busy after success: the page is being replaced.
  const busy = login.isPending || login.isSuccess;
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    login.mutate({ username: f.get("username"), password: f.get("password") });
  }
  return (
    <AuthCard title="Log in">
      <form onSubmit={submit} className="space-y-3">
        <label className="block text-sm">
          Username
          <input name="username" autoComplete="username" required className={inputClass} />
        </label>
        <label className="block text-sm">
          Password
          <input name="password" type="password" autoComplete="current-password" required className={inputClass} />
        </label>
        <ErrorBox error={login.error} />
        <button disabled={busy} className={buttonClass}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
    </AuthCard>
  );
}
