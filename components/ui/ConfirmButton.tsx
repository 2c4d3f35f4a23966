"use client";
import { useState, type ReactNode } from "react";

const TONES = {
  primary: "bg-slate-900 text-white hover:bg-slate-700",
  danger: "bg-red-600 text-white hover:bg-red-500",
  plain: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50",
} as const;

/** A button that asks first: the dialog says exactly what will happen. */
export function ConfirmButton(props: {
  label: string;
  title: string;
  description: ReactNode;
  confirmLabel?: string;
  tone?: keyof typeof TONES;
  disabled?: boolean;
  disabledReason?: string;
  onConfirm: () => void;
}) {
  const [open, setOpen] = useState(false);
  const tone = props.tone ?? "plain";
  return (
    <>
      <button
        type="button"
        disabled={props.disabled}
        title={props.disabled ? props.disabledReason : undefined}
        onClick={() => setOpen(true)}
        className={`rounded-md px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-40 ${TONES[tone]}`}
      >
        {props.label}
      </button>
      {open && (
        <div
          className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 p-4"
          role="dialog"
          aria-modal="true"
          aria-label={props.title}
        >
          <div className="w-full max-w-md rounded-xl bg-white p-5 shadow-xl">
            <h2 className="text-lg font-semibold">{props.title}</h2>
            <div className="mt-2 text-sm text-slate-600">{props.description}</div>
            <div className="mt-5 flex justify-end gap-2">
              <button type="button" onClick={() => setOpen(false)} className={`rounded-md px-3 py-1.5 text-sm ${TONES.plain}`}>
                Cancel
              </button>
              <button
                type="button"
                autoFocus
                onClick={() => {
                  setOpen(false);
                  props.onConfirm();
                }}
                className={`rounded-md px-3 py-1.5 text-sm font-medium ${tone === "danger" ? TONES.danger : TONES.primary}`}
              >
                {props.confirmLabel ?? props.label}
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  );
}
