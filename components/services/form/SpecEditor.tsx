"use client";
import { useState, type FormEvent } from "react";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { useSaveService } from "@/components/services/queries";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";
import { BasicsFields } from "./BasicsFields";
import { PlacementFields } from "./PlacementFields";
import { ContainerFields } from "./ContainerFields";
import { HealthCheckFields } from "./HealthCheckFields";
import { EnvVarsFields } from "./EnvVarsFields";
import { StorageFields } from "./StorageFields";
import { ProcessFields } from "./ProcessFields";
import { LimitsFields } from "./LimitsFields";
import { ExtraHostsFields } from "./ExtraHostsFields";
import { LabelsFields } from "./LabelsFields";
import { TrafficFields } from "./TrafficFields";
import { RolloutFields } from "./RolloutFields";
import { SmokeFields } from "./SmokeFields";
import type { FieldErrors, FormState } from "./formState";
import { validateForm } from "./validateForm";

type Props = {
  initial: FormState;
  isEdit: boolean;
  canEdit: boolean;
  /** Admins only: HAProxy backends belong to one service each. */
  canChooseBackends: boolean;
  onSaved: (spec: ServiceSpec) => void;
  onCancel: () => void;
};

/** The form body: holds the draft, validates it with the shared zod schema, then saves the spec and calls onSaved. */
export function SpecEditor({ initial, isEdit, canEdit, canChooseBackends, onSaved, onCancel }: Props) {
  const [state, setState] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = useSaveService(isEdit);
  // Stays busy after success: onSaved navigates away.
  const busy = save.isPending || save.isSuccess;
  const update = (patch: Partial<FormState>) => setState((s) => ({ ...s, ...patch }));
  const section = { state, update, errors };

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const checked = validateForm(state);
    setErrors(checked.errors ?? {});
    save.reset();
    if (checked.spec) save.mutate(checked.spec, { onSuccess: (_res, spec) => onSaved(spec) });
  }

  const errorCount = Object.keys(errors).length;
  const reason = canEdit ? undefined : "Changing services needs the operator role.";
  return (
    <form onSubmit={submit} noValidate className="space-y-4" data-testid="service-form">
      <fieldset disabled={!canEdit || busy} className="space-y-4">
        <BasicsFields {...section} isEdit={isEdit} />
        <PlacementFields {...section} />
        <ContainerFields {...section} />
        <StorageFields {...section} />
        <ProcessFields {...section} />
        <LimitsFields {...section} />
        <HealthCheckFields {...section} />
        <EnvVarsFields {...section} />
        <ExtraHostsFields {...section} />
        <LabelsFields {...section} />
        <TrafficFields {...section} canChooseBackends={canChooseBackends} />
        <RolloutFields {...section} />
        <SmokeFields {...section} />
      </fieldset>
      {errorCount > 0 && (
        <ErrorBox
          error={errors.form ?? `Check the ${errorCount === 1 ? "highlighted field" : `${errorCount} highlighted fields`} above.`}
        />
      )}
      <ErrorBox error={save.error} />
      <div className="flex items-center gap-2">
        <button
          disabled={!canEdit || busy}
          title={reason}
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-40"
        >
          {busy ? "Saving…" : isEdit ? "Save changes" : "Create service"}
        </button>
        <button type="button" onClick={onCancel} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
          Cancel
        </button>
        {isEdit && <p className="text-sm text-slate-500">Changes apply to the next release; running containers are not touched.</p>}
      </div>
    </form>
  );
}
