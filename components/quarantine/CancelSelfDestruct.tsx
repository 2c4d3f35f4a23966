"use client";
import { useState } from "react";
import { Modal } from "@/components/ui/Modal";

/** Admin only: keep the container with no deadline. Needs a reason; the page then flags it loudly. */
export function CancelSelfDestruct({
  name,
  disabled,
  onCancel,
}: {
  name: string;
  disabled: string | null;
  onCancel: (reason: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  return (
    <>
      <button
        type="button"
        disabled={Boolean(disabled)}
        title={disabled ?? undefined}
        onClick={() => setOpen(true)}
        className="rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-40"
      >
        Cancel self-destruct
      </button>
      {open && (
        <Modal title={`Cancel the self-destruct of ${name}?`} onClose={() => setOpen(false)}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setOpen(false);
              onCancel(reason);
            }}
          >
            <p className="mt-2 text-sm text-slate-600">
              It will be kept with <strong>no deadline</strong>, out of traffic, until someone presses Destroy now. It is flagged on this
              page and in the release log.
            </p>
            <textarea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              autoFocus
              rows={2}
              aria-label="Why keep it"
              placeholder="Why keep it (required)"
              className="mt-3 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            />
            <div className="mt-5 flex justify-end gap-2">
              <button
                type="button"
                onClick={() => setOpen(false)}
                className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-50"
              >
                Back
              </button>
              <button type="submit" className="rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-500">
                Cancel self-destruct
              </button>
            </div>
          </form>
        </Modal>
      )}
    </>
  );
}
