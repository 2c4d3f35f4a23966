import Link from "next/link";
import { Badge } from "@/components/ui/Badge";
import { FieldError, FormSection, inputTone, monoInputClass } from "./Field";
import type { PlacementRow, SectionProps } from "./formState";

/** One row per registered host: run on it or not, and how many replicas. */
export function PlacementFields({ state, update, errors }: SectionProps) {
  function patchRow(host: string, patch: Partial<PlacementRow>) {
    update({ placement: state.placement.map((p) => (p.host === host ? { ...p, ...patch } : p)) });
  }
  return (
    <FormSection
      title="Placement"
      help="Each release starts this many containers on every checked host; HAProxy balances across all of them."
      error={errors.placement}
    >
      {state.placement.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-4 text-sm text-slate-600">
          No Docker hosts are registered.{" "}
          <Link href="/settings/hosts" className="text-blue-700 underline">
            Add a host
          </Link>{" "}
          first.
        </p>
      ) : (
        <table className="w-full text-sm" data-testid="placement-table">
          <thead className="text-left text-xs tracking-wide text-slate-500 uppercase">
            <tr>
              <th className="py-1 pr-3 font-medium">Host</th>
              <th className="w-32 py-1 font-medium">Replicas</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {state.placement.map((p) => {
              const error = errors[`placement.${p.host}.replicas`];
              return (
                <tr key={p.host} className="align-top" data-testid={`placement-${p.host}`}>
                  <td className="py-2 pr-3">
                    <label className="flex items-center gap-2">
                      <input
                        type="checkbox"
                        checked={p.enabled}
                        onChange={(e) => patchRow(p.host, { enabled: e.target.checked })}
                        className="size-4 rounded border-slate-300"
                      />
                      <span className="font-medium text-slate-900">{p.host}</span>
                      {!p.registered && <Badge tone="amber">not registered — uncheck to remove</Badge>}
                    </label>
                  </td>
                  <td className="py-2">
                    <input
                      type="number"
                      min={1}
                      max={20}
                      aria-label={`Replicas on ${p.host}`}
                      value={p.replicas}
                      disabled={!p.enabled}
                      onChange={(e) => patchRow(p.host, { replicas: e.target.value })}
                      className={`${monoInputClass} ${inputTone(error)}`}
                    />
                    <FieldError error={error} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </FormSection>
  );
}
