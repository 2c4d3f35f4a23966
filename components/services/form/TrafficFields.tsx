import { DEPLOY_STRATEGIES, type DeployStrategy } from "@/server/services/runtimeSpecInput";
import { formatAgo } from "@/components/ui/TimeAgo";
import { Checkbox, Field, FormSection, inputClass, inputTone, monoInputClass } from "./Field";
import type { SectionProps } from "./formState";
import { ManagedRoutingFields } from "./ManagedRoutingFields";

function retireHint(value: string): string {
  const s = Number(value);
  if (value.trim() === "") return "Empty = keep the standby until it is retired by hand.";
  if (!Number.isInteger(s) || s < 0) return "Whole seconds, e.g. 3600 for an hour.";
  return s === 0
    ? "0 = retire the old release soon after a switch (no quick rollback)."
    : `Standby is retired ${formatAgo(s * 1000)} after a switch.`;
}

/** HAProxy backends and what happens around a switch. */
export function TrafficFields({ state, update, errors, canChooseBackends }: SectionProps & { canChooseBackends: boolean }) {
  const backendsLocked = canChooseBackends ? undefined : "Only an admin chooses HAProxy backends (each belongs to one service).";
  return (
    <FormSection
      title="Traffic"
      help={
        state.routing === "managed"
          ? "Switchyard writes this service's HAProxy frontend and backends itself; no edit of haproxy.cfg."
          : "Switchyard manages the servers of these HAProxy backends through the runtime API; the backends themselves must exist in haproxy.cfg."
      }
    >
      <Field label="Routing" help="Existing: backends you wrote in haproxy.cfg. Managed: Switchyard creates the frontend and backends.">
        <select
          name="routing"
          disabled={!canChooseBackends}
          title={backendsLocked}
          value={state.routing}
          onChange={(e) => update({ routing: e.target.value as "existing" | "managed" })}
          className={`${inputClass} sm:w-1/2`}
        >
          <option value="existing">Existing HAProxy backend</option>
          <option value="managed">Managed by Switchyard</option>
        </select>
      </Field>
      {state.routing === "managed" && <ManagedRoutingFields state={state} update={update} errors={errors} locked={backendsLocked} />}
      <div className={`grid gap-3 sm:grid-cols-2 ${state.routing === "managed" ? "hidden" : ""}`}>
        <Field
          label="HAProxy backend"
          error={errors.backend}
          help="Serves the live release. Defaults to the service name; empty = no routing (a worker, a database on a fixed host port)."
        >
          <input
            name="backend"
            disabled={!canChooseBackends}
            title={backendsLocked}
            value={state.backend}
            onChange={(e) => update({ backend: e.target.value })}
            placeholder={state.name || "web"}
            className={`${monoInputClass} ${inputTone(errors.backend)}`}
          />
        </Field>
        <Field
          label="Preview backend"
          error={errors.previewBackend}
          help="Optional. Serves the candidate release so it can be tried before the switch."
        >
          <input
            name="previewBackend"
            disabled={!canChooseBackends}
            title={backendsLocked}
            value={state.previewBackend}
            onChange={(e) => update({ previewBackend: e.target.value })}
            placeholder={state.name ? `${state.name}-preview` : "web-preview"}
            className={`${monoInputClass} ${inputTone(errors.previewBackend)}`}
          />
        </Field>
      </div>
      {backendsLocked && (
        <p className="text-xs text-slate-500" data-testid="backends-locked">
          {backendsLocked}
        </p>
      )}
      <Field
        label="Strategy"
        error={errors.strategy}
        help={
          state.strategy === "recreate"
            ? "Recreate: the live containers stop first, the new ones start on the same ports and volumes (one writer; a short gap in service). No preview."
            : "Blue-green: the new release starts beside the live one and takes traffic at the switch (no gap; both run at once)."
        }
        className="sm:w-1/2"
      >
        <select
          name="strategy"
          value={state.strategy}
          onChange={(e) => update({ strategy: e.target.value as DeployStrategy })}
          className={`${inputClass} ${inputTone(errors.strategy)}`}
        >
          {DEPLOY_STRATEGIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </Field>
      <Checkbox
        label="Switch automatically"
        checked={state.autoSwitch}
        onChange={(autoSwitch) => update({ autoSwitch })}
        help="A release that passes the health gate takes traffic at once. Off: it waits in preview as candidate until someone switches. The first release always goes live."
      />
      <Field label="Retire standby after (seconds)" error={errors.retireAfterS} help={retireHint(state.retireAfterS)} className="sm:w-1/2">
        <input
          name="retireAfterS"
          type="number"
          min={0}
          max={30 * 86_400}
          value={state.retireAfterS}
          placeholder="keep until retired by hand"
          onChange={(e) => update({ retireAfterS: e.target.value })}
          className={`${inputClass} font-mono ${inputTone(errors.retireAfterS)}`}
        />
      </Field>
    </FormSection>
  );
}
