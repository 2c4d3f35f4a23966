import { Field, FormSection, inputTone, monoInputClass } from "./Field";
import type { SectionProps } from "./formState";

/** Name and image repository. The name is fixed once the service exists. */
export function BasicsFields({ state, update, errors, isEdit }: SectionProps & { isEdit: boolean }) {
  function rename(name: string) {
    // The backend follows the name until someone types a different one.
    const follows = state.backend === "" || state.backend === state.name;
    update(follows ? { name, backend: name } : { name });
  }
  return (
    <FormSection title="Service">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field
          label="Name"
          error={errors.name}
          help={
            isEdit
              ? "A service cannot be renamed; create a new one instead."
              : "1–40 lowercase letters, digits or '-'. Used in container names; cannot change later."
          }
        >
          <input
            name="name"
            value={state.name}
            readOnly={isEdit}
            onChange={(e) => rename(e.target.value)}
            placeholder="web"
            autoComplete="off"
            className={`${monoInputClass} ${inputTone(errors.name)} ${isEdit ? "bg-slate-50 text-slate-500" : ""}`}
          />
        </Field>
        <Field
          label="Image repository"
          error={errors.image}
          help="Without tag or digest, e.g. registry:5000/team/app. Each deploy names a tag and Switchyard pins its digest."
        >
          <input
            name="image"
            value={state.image}
            onChange={(e) => update({ image: e.target.value })}
            placeholder="registry:5000/team/app"
            autoComplete="off"
            className={`${monoInputClass} ${inputTone(errors.image)}`}
          />
        </Field>
      </div>
    </FormSection>
  );
}
