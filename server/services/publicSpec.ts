import { SECRET_MASK, type ServiceSpec } from "./serviceSpecInput";

/** The spec as anyone may see it: secret env values replaced by a mask. */
export function publicSpec(spec: ServiceSpec): ServiceSpec {
  return { ...spec, env: spec.env.map((e) => (e.secret ? { ...e, value: SECRET_MASK } : e)) };
}

/** On edit, a masked secret means "keep the stored value". */
export function mergeSecrets(next: ServiceSpec, previous: ServiceSpec | null): ServiceSpec {
  return {
    ...next,
    env: next.env.map((e) => {
      if (!e.secret || e.value !== SECRET_MASK) return e;
      const old = previous?.env.find((p) => p.name === e.name && p.secret);
      if (!old) throw new Error(`env ${e.name}: "${SECRET_MASK}" keeps a stored secret, but ${e.name} has none; give its value`);
      return { ...e, value: old.value };
    }),
  };
}
