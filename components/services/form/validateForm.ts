import { RESERVED_ENV, ServiceSpec } from "@/server/services/serviceSpecInput";
import { toSpecInput, type EnvRow, type FieldErrors, type FormState, type PlacementRow } from "./formState";

/** Maps a schema path (placement.0.replicas) to a form path (placement.web-1.replicas). */
function formPath(path: PropertyKey[], placed: PlacementRow[], env: EnvRow[]): string {
  const [head, second, ...rest] = path.map(String);
  if (head === "placement" && second !== undefined && /^\d+$/.test(second)) return ["placement", placed[Number(second)]?.host ?? second, ...rest].join(".");
  if (head === "env" && second !== undefined && /^\d+$/.test(second)) return ["env", env[Number(second)]?.key ?? second, ...rest].join(".");
  if (head === "port") return second === "mode" ? "portMode" : "containerPort";
  if (head === "limits") return "pidsLimit";
  if (head === "haproxy") return second ?? "backend";
  if (head === "healthCheck") return ["health", second, ...rest].filter((p) => p !== undefined).join(".");
  return head ?? "form";
}

type Issue = NonNullable<ReturnType<typeof ServiceSpec.safeParse>["error"]>["issues"][number];

/** zod's messages, reworded where a form reads better. */
function friendly(issue: Issue): string {
  if (issue.code === "invalid_type" && (issue.expected === "number" || issue.expected === "int")) return "enter a whole number";
  if (issue.code === "too_small" && issue.origin === "number") return `must be at least ${String(issue.minimum)}`;
  if (issue.code === "too_big" && issue.origin === "number") return `must be at most ${String(issue.maximum)}`;
  return issue.message;
}

/** Row-level checks the schema makes only for the whole list (and only once every field parses). */
function crossFieldErrors(s: FormState, env: EnvRow[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const p of s.placement) {
    if (p.enabled && !p.registered) errors[`placement.${p.host}.replicas`] = "this host is not registered; uncheck it";
  }
  const seen = new Set<string>();
  for (const e of env) {
    const name = e.name.trim();
    if ((RESERVED_ENV as readonly string[]).includes(name)) errors[`env.${e.key}.name`] = `${name} is set by Switchyard`;
    else if (seen.has(name)) errors[`env.${e.key}.name`] = "this name is already used above";
    seen.add(name);
  }
  if (s.previewBackend.trim() !== "" && s.previewBackend.trim() === s.backend.trim()) errors.previewBackend = "must differ from the live backend";
  return errors;
}

/** Validates with the same zod schema the server uses; returns the spec to send or per-field errors. */
export function validateForm(s: FormState): { spec: ServiceSpec; errors: null } | { spec: null; errors: FieldErrors } {
  const { input, placed, env } = toSpecInput(s);
  const errors: FieldErrors = crossFieldErrors(s, env);
  for (const e of env) {
    if (!e.keepsStoredSecret || e.value !== "") continue;
    if (!e.secret) errors[`env.${e.key}.value`] = "enter a value: the stored secret is only kept while the variable stays secret";
    else if (e.name.trim() !== e.storedName) errors[`env.${e.key}.value`] = `enter a value: the stored secret belongs to ${e.storedName}`;
  }
  const r = ServiceSpec.safeParse(input);
  if (r.success && Object.keys(errors).length === 0) return { spec: r.data, errors: null };
  for (const issue of r.error?.issues ?? []) {
    const key = formPath(issue.path, placed, env);
    if (key === "env" && Object.keys(errors).some((k) => k.startsWith("env."))) continue; // already shown on the row
    errors[key] ??= friendly(issue);
  }
  return { spec: null, errors };
}
