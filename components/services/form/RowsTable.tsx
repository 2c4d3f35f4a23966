import type { ReactNode } from "react";
import { FieldError, inputTone, monoInputClass } from "./Field";

export type RowColumn<R> = { header: string; className?: string; cell: (row: R) => ReactNode };

/** The table of a list field (volumes, tmpfs, extra hosts, labels): one row each, a Remove button, an Add button below. */
export function RowsTable<R extends { key: number }>(props: {
  rows: R[];
  columns: RowColumn<R>[];
  testId: string;
  rowLabel: (row: R) => string;
  addLabel: string;
  onAdd: () => void;
  onRemove: (row: R) => void;
}) {
  return (
    <div className="space-y-2">
      {props.rows.length > 0 && (
        <table className="w-full text-sm" data-testid={props.testId}>
          <thead className="text-left text-xs tracking-wide text-slate-500 uppercase">
            <tr>
              {props.columns.map((c) => (
                <th key={c.header} className={`py-1 pr-2 font-medium ${c.className ?? ""}`}>
                  {c.header}
                </th>
              ))}
              <th className="w-20 py-1" />
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr key={row.key} className="align-top">
                {props.columns.map((c) => (
                  <td key={c.header} className={`py-1.5 pr-2 ${c.className ?? ""}`}>
                    {c.cell(row)}
                  </td>
                ))}
                <td className="py-1.5 text-right">
                  <button
                    type="button"
                    onClick={() => props.onRemove(row)}
                    aria-label={`Remove ${props.rowLabel(row)}`}
                    className="rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-600 hover:bg-slate-50"
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" onClick={props.onAdd} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
        {props.addLabel}
      </button>
    </div>
  );
}

/** A monospace input in a table cell with its error below. */
export function TextCell(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  placeholder?: string;
  type?: "text" | "number";
  min?: number;
  max?: number;
}) {
  return (
    <>
      <input
        aria-label={props.label}
        type={props.type ?? "text"}
        min={props.min}
        max={props.max}
        value={props.value}
        placeholder={props.placeholder}
        autoComplete="off"
        onChange={(e) => props.onChange(e.target.value)}
        className={`${monoInputClass} ${inputTone(props.error)}`}
      />
      <FieldError error={props.error} />
    </>
  );
}

/** A centred checkbox in a table cell. */
export function CheckCell({ label, checked, onChange }: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <div className="pt-1.5 text-center">
      <input
        type="checkbox"
        aria-label={label}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        className="size-4 rounded border-slate-300"
      />
    </div>
  );
}

/** Replace one row of a list (by key) with a patched copy. */
export function patchRow<R extends { key: number }>(rows: R[], key: number, patch: Partial<R>): R[] {
  return rows.map((r) => (r.key === key ? { ...r, ...patch } : r));
}
