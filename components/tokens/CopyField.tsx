"use client";
import { useRef, useState } from "react";

const field = "block w-full rounded-md border border-slate-300 bg-slate-50 px-2 py-1.5 font-mono text-xs text-slate-900";

/** Read-only text with a Copy button; without clipboard access (plain http) it selects the text for Ctrl+C instead. */
export function CopyField({
  value,
  label,
  multiline = false,
  rows = 3,
}: {
  value: string;
  label: string;
  multiline?: boolean;
  rows?: number;
}) {
  const [state, setState] = useState<"idle" | "copied" | "selected">("idle");
  const inputRef = useRef<HTMLInputElement>(null);
  const areaRef = useRef<HTMLTextAreaElement>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      (multiline ? areaRef.current : inputRef.current)?.select();
      setState("selected");
    }
  }
  return (
    <div className="flex items-start gap-2">
      {multiline ? (
        <textarea
          ref={areaRef}
          readOnly
          value={value}
          aria-label={label}
          rows={rows}
          onFocus={(e) => e.currentTarget.select()}
          className={`${field} resize-none`}
        />
      ) : (
        <input ref={inputRef} readOnly value={value} aria-label={label} onFocus={(e) => e.currentTarget.select()} className={field} />
      )}
      <button
        type="button"
        onClick={copy}
        className="shrink-0 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50"
      >
        {state === "copied" ? "Copied" : state === "selected" ? "Press Ctrl+C" : "Copy"}
      </button>
    </div>
  );
}
