"use client";
import { useState, type FormEvent } from "react";
import { z } from "zod";
import { IgnoreRuleInput } from "@/server/drift/driftInput";
import { ErrorBox } from "@/components/ui/ErrorBox";
import type { IgnoreRuleView } from "@/server/drift/ignoreRuleRows";
import { useSaveIgnoreRule } from "./queries";

const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

/** Add or edit a rule: validated with the same zod schema as the API, so both say the same thing. */
export function IgnoreRuleForm({
  rule,
  services,
  onSaved,
  onCancel,
}: {
  rule?: IgnoreRuleView;
  services: string[];
  onSaved: () => void;
  onCancel?: () => void;
}) {
  const save = useSaveIgnoreRule(rule?.id);
  /** The form's own check failed; the request was not sent. */
  const [invalid, setInvalid] = useState<Error | null>(null);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const service = String(f.get("service") ?? "");
    const check = IgnoreRuleInput.safeParse({
      pattern: String(f.get("pattern") ?? ""),
      service: service === "" ? null : service,
      note: String(f.get("note") ?? ""),
    });
    save.reset();
    setInvalid(check.success ? null : new Error(z.prettifyError(check.error)));
    if (!check.success) return;
    save.mutate(check.data, {
      onSuccess: () => {
        if (!rule) form.reset();
        onSaved();
      },
    });
  }
  return (
    <form onSubmit={submit} className="space-y-2" data-testid={rule ? `rule-form-${rule.id}` : "rule-form"}>
      <div className="grid gap-3 sm:grid-cols-[2fr_1fr_2fr_auto] sm:items-end">
        <label className="text-sm">
          Pattern
          <input
            name="pattern"
            defaultValue={rule?.pattern}
            required
            maxLength={512}
            placeholder="/var/cache/app or **/*.pyc"
            className={`${input} font-mono`}
            aria-label="Pattern"
          />
        </label>
        <label className="text-sm">
          Applies to
          <select name="service" defaultValue={rule?.service ?? ""} className={input} aria-label="Applies to">
            <option value="">every service</option>
            {services.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          Note
          <input
            name="note"
            defaultValue={rule?.note}
            maxLength={200}
            placeholder="why this is expected"
            className={input}
            aria-label="Note"
          />
        </label>
        <div className="flex gap-2">
          <button disabled={save.isPending} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-50">
            {rule ? "Save" : "Add rule"}
          </button>
          {onCancel && (
            <button type="button" onClick={onCancel} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
              Cancel
            </button>
          )}
        </div>
      </div>
      <p className="text-xs text-slate-500">
        A path (<code>/tmp</code> ignores /tmp and everything under it) or a glob: <code>*</code> and <code>?</code> within a name,{" "}
        <code>**</code> for any directories.
      </p>
      <ErrorBox error={invalid ?? save.error} />
    </form>
  );
}
