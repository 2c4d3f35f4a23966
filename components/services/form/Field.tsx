import type { ReactNode } from "react";

export const inputClass =
  "block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm disabled:bg-slate-50 disabled:text-slate-500";
export const monoInputClass = `${inputClass} font-mono`;

export function inputTone(error: string | undefined): string {
  return error ? "border-red-400 ring-1 ring-red-200" : "";
}

export function FieldError({ error, id }: { error?: string; id?: string }) {
  if (!error) return null;
  return (
    <p id={id} className="mt-1 text-xs text-red-700">
      {error}
    </p>
  );
}

/** A labelled input with an optional one-line help text and a field-level error. */
export function Field({
  label,
  help,
  error,
  children,
  className = "",
}: {
  label: string;
  help?: ReactNode;
  error?: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={className}>
      <label className="block text-sm font-medium text-slate-700">
        <span className="mb-1 block">{label}</span>
        {children}
      </label>
      {help && <p className="mt-1 text-xs text-slate-500">{help}</p>}
      <FieldError error={error} />
    </div>
  );
}

export function Checkbox({
  label,
  help,
  checked,
  onChange,
  disabled,
}: {
  label: string;
  help?: ReactNode;
  checked: boolean;
  onChange: (v: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <div>
      <label className="flex items-center gap-2 text-sm font-medium text-slate-700">
        <input
          type="checkbox"
          checked={checked}
          disabled={disabled}
          onChange={(e) => onChange(e.target.checked)}
          className="size-4 rounded border-slate-300"
        />
        {label}
      </label>
      {help && <p className="mt-0.5 ml-6 text-xs text-slate-500">{help}</p>}
    </div>
  );
}

/** One titled card of the service form. */
export function FormSection({ title, help, error, children }: { title: string; help?: ReactNode; error?: string; children: ReactNode }) {
  return (
    <fieldset className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <legend className="sr-only">{title}</legend>
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      {help && <p className="mt-0.5 text-sm text-slate-500">{help}</p>}
      <FieldError error={error} />
      <div className="mt-3 space-y-3">{children}</div>
    </fieldset>
  );
}
