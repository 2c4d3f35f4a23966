"use client";
import { useState, type FormEvent } from "react";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { AuthCard, buttonClass, inputClass } from "./AuthCard";
import { useSetup } from "./queries";

export function SetupForm() {
  const setup = useSetup();
  /** The form's own check failed; the request was not sent. */
  const [invalid, setInvalid] = useState<Error | null>(null);
  // Stays busy after success: the page is being replaced.
  const busy = setup.isPending || setup.isSuccess;
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const differ = f.get("password") !== f.get("confirm");
    setup.reset();
    setInvalid(differ ? new Error("The two passwords differ.") : null);
    if (!differ) setup.mutate({ username: f.get("username"), password: f.get("password") });
  }
  return (
    <AuthCard title="Create the first admin">
      <p className="mb-3 text-sm text-slate-600">No account exists yet. The account you create here administers hosts and users.</p>
      <form onSubmit={submit} className="space-y-3">
        <label className="block text-sm">
          Username
          <input name="username" required className={inputClass} />
        </label>
        <label className="block text-sm">
          Password (10+ characters)
          <input name="password" type="password" minLength={10} required className={inputClass} />
        </label>
        <label className="block text-sm">
          Repeat password
          <input name="confirm" type="password" minLength={10} required className={inputClass} />
        </label>
        <ErrorBox error={invalid ?? setup.error} />
        <button disabled={busy} className={buttonClass}>
          {busy ? "Creating…" : "Create admin"}
        </button>
      </form>
    </AuthCard>
  );
}
