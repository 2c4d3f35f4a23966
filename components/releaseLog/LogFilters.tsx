"use client";
import { useQuery } from "@tanstack/react-query";
import { servicesQuery } from "@/components/services/queries";

export type LogFilterValues = { service: string; actor: string; action: string };
export const NO_FILTERS: LogFilterValues = { service: "", actor: "", action: "" };

/** The server accepts lowercase letters, '.', '-' and '*' in an action pattern. */
export function actionError(action: string): string | null {
  return action === "" || /^[a-z.*-]{1,64}$/.test(action) ? null : "letters a–z, '.', '-' and '*' only";
}

/** The query string of GET /api/events for these filters, plus paging or format options. */
export function eventsQuery(f: LogFilterValues, extra: Record<string, string | number | undefined> = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) {
    const s = v === undefined ? "" : String(v).trim();
    if (s) qs.set(k, s);
  }
  return qs.toString();
}

const input = "block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

export function LogFilters({ value, onChange }: { value: LogFilterValues; onChange: (next: LogFilterValues) => void }) {
  const services = useQuery(servicesQuery());
  const names = services.data?.services.map((s) => s.name) ?? [];
  if (value.service && !names.includes(value.service)) names.push(value.service);
  const badAction = actionError(value.action);
  const set = (patch: Partial<LogFilterValues>) => onChange({ ...value, ...patch });
  return (
    <div className="grid gap-3 sm:grid-cols-3" data-testid="log-filters">
      <label className="text-sm text-slate-600">
        Service
        <select value={value.service} onChange={(e) => set({ service: e.target.value })} className={`mt-1 ${input}`}>
          <option value="">All services</option>
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm text-slate-600">
        Actor
        <input
          value={value.actor}
          onChange={(e) => set({ actor: e.target.value })}
          placeholder="exact username, or system"
          maxLength={64}
          className={`mt-1 ${input}`}
        />
      </label>
      <div>
        <label className="text-sm text-slate-600">
          Action
          <input
            value={value.action}
            onChange={(e) => set({ action: e.target.value })}
            placeholder="release.* or service.update"
            maxLength={64}
            aria-invalid={badAction !== null}
            className={`mt-1 font-mono ${input} ${badAction ? "border-red-400" : ""}`}
          />
        </label>
        {badAction && <p className="mt-1 text-xs text-red-700">{badAction}</p>}
      </div>
    </div>
  );
}
