import { Field, inputClass, inputTone, monoInputClass } from "./Field";
import type { SectionProps } from "./formState";

/** Managed routing: Switchyard writes the frontend (bind), the preview frontend and the backends into its HAProxy include file. */
export function ManagedRoutingFields({ state, update, errors, locked }: SectionProps & { locked?: string }) {
  const name = state.name || "web";
  return (
    <div className="space-y-3" data-testid="managed-routing-fields">
      <div className="grid gap-3 sm:grid-cols-3">
        <Field label="Bind" error={errors.managedBind} help="IP:port HAProxy listens on for the live release, e.g. 127.0.0.1:18200.">
          <input
            name="managedBind"
            disabled={Boolean(locked)}
            title={locked}
            value={state.managedBind}
            onChange={(e) => update({ managedBind: e.target.value })}
            placeholder="127.0.0.1:18200"
            className={`${monoInputClass} ${inputTone(errors.managedBind)}`}
          />
        </Field>
        <Field label="Preview bind" error={errors.managedPreviewBind} help="Optional. Serves the candidate before the switch.">
          <input
            name="managedPreviewBind"
            disabled={Boolean(locked)}
            title={locked}
            value={state.managedPreviewBind}
            onChange={(e) => update({ managedPreviewBind: e.target.value })}
            placeholder="127.0.0.1:18201"
            className={`${monoInputClass} ${inputTone(errors.managedPreviewBind)}`}
          />
        </Field>
        <Field
          label="Mode"
          error={errors.managedMode}
          help={
            state.managedMode === "tcp"
              ? "tcp: bytes are forwarded (databases, other protocols); needs a tcp or exec health check."
              : "http: HAProxy checks the health path with option httpchk."
          }
        >
          <select
            name="managedMode"
            disabled={Boolean(locked)}
            title={locked}
            value={state.managedMode}
            onChange={(e) => update({ managedMode: e.target.value as "http" | "tcp" })}
            className={`${inputClass} ${inputTone(errors.managedMode)}`}
          >
            <option value="http">http</option>
            <option value="tcp">tcp</option>
          </select>
        </Field>
      </div>
      <p className="text-xs text-slate-500">
        Backends <span className="font-mono">sy-{name}</span>
        {state.managedPreviewBind.trim() && (
          <>
            {" "}
            and <span className="font-mono">sy-{name}.preview</span>
          </>
        )}
        , written with their current servers into Switchyard&apos;s include file; HAProxy reloads when they are created or removed.
      </p>
    </div>
  );
}
