import { Checkbox, Field, FormSection, inputClass, inputTone, monoInputClass } from "./Field";
import type { FormState, SectionProps } from "./formState";

const PORT_MODE_HELP: Record<FormState["portMode"], string> = {
  env: "The container listens on the host port Switchyard passes in $PORT (host networking). No container port needed.",
  publish: "Docker publishes the container port (also passed in $PORT) on a free host port Switchyard picks (bridge networking).",
};

/** How the container is started: port wiring, the read-only root filesystem, and capabilities (limits are their own section). */
export function ContainerFields({ state, update, errors }: SectionProps) {
  return (
    <FormSection title="Container">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Port mode" error={errors.portMode} help={PORT_MODE_HELP[state.portMode]}>
          <select
            name="portMode"
            value={state.portMode}
            onChange={(e) => update({ portMode: e.target.value as FormState["portMode"] })}
            className={inputClass}
          >
            <option value="env">env — listen on $PORT</option>
            <option value="publish">publish — Docker maps a container port</option>
          </select>
        </Field>
        {state.portMode === "publish" && (
          <Field label="Container port" error={errors.containerPort} help="The port the application listens on inside the container.">
            <input
              name="containerPort"
              type="number"
              min={1}
              max={65535}
              value={state.containerPort}
              onChange={(e) => update({ containerPort: e.target.value })}
              className={`${monoInputClass} ${inputTone(errors.containerPort)}`}
            />
          </Field>
        )}
      </div>
      <Checkbox
        label="Read-only root filesystem"
        checked={state.readOnlyRootFs}
        onChange={(readOnlyRootFs) => update({ readOnlyRootFs })}
        help="Recommended: the container cannot write to its own filesystem, so every replica stays exactly what the release pinned. Give the paths the app writes a tmpfs or a volume (Storage below) rather than turning this off."
      />
      <Checkbox
        label="Allow ports below 1024 (NET_BIND_SERVICE)"
        checked={state.netBindService}
        onChange={(netBindService) => update({ netBindService })}
        help="Containers start with every Linux capability dropped and with no-new-privileges. Check this only for an app that must listen on a port below 1024: it gives back that one capability."
      />
    </FormSection>
  );
}
