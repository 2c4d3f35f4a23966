import type { z } from "zod";
import { RESERVED_ENV, ServiceSpec } from "@/server/services/serviceSpecInput";
import { checkRuntimeSpec } from "@/server/services/runtimeSpecInput";
import { toSpecInput, type FieldErrors, type FormState, type SubmittedRows } from "./formState";

/** List fields whose schema paths carry a row index (volumes.1.target → volumes.<row key>.target). */
const KEYED_LISTS = ["env", "volumes", "tmpfs", "extraHosts", "smoke"] as const;
const MANAGED_FIELDS: Record<string, string> = { bind: "managedBind", previewBind: "managedPreviewBind", mode: "managedMode" };
const LIMIT_FIELDS: Record<string, string> = { pids: "pidsLimit", memoryMb: "memoryMb", cpus: "cpus" };

/** Maps a schema path (placement.0.replicas) to a form path (placement.web-1.replicas). */
function formPath(path: PropertyKey[], rows: SubmittedRows): string {
  const [head, second, ...rest] = path.map(String);
  const index = second !== undefined && /^\d+$/.test(second) ? Number(second) : undefined;
  if (head === "placement" && index !== undefined) return ["placement", rows.placed[index]?.host ?? second, ...rest].join(".");
  for (const list of KEYED_LISTS) {
    if (head === list && index !== undefined) return [list, rows[list][index]?.key ?? second, ...rest].join(".");
  }
  if (head === "labels" && second !== undefined) {
    const row = rows.labels.find((l) => l.name.trim() === second);
    return row ? `labels.${row.key}.name` : "labels";
  }
  if (head === "command" || head === "entrypoint") return head;
  if (head === "port") return second === "mode" ? "portMode" : "containerPort";
  if (head === "limits") return LIMIT_FIELDS[second ?? ""] ?? "pidsLimit";
  if (head === "haproxy" && second === "managed") return MANAGED_FIELDS[rest[0] ?? ""] ?? "managedBind";
  if (head === "haproxy") return second ?? "backend";
  if (head === "rollout") return second === "analysis" && rest[0] ? `rollout.${String(rest[0])}` : "rollout.steps";
  if (head === "healthCheck") return ["health", second, ...rest].filter((p) => p !== undefined).join(".");
  return head ?? "form";
}

type Issue = NonNullable<ReturnType<typeof ServiceSpec.safeParse>["error"]>["issues"][number];

/** zod's messages, reworded where a form reads better. */
function friendly(issue: Issue): string {
  if (issue.code === "invalid_type" && issue.expected === "number" && issue.path.at(-1) === "cpus") return "enter a number, like 0.5";
  if (issue.code === "invalid_type" && (issue.expected === "number" || issue.expected === "int")) return "enter a whole number";
  if (issue.code === "too_small" && issue.origin === "number") return `must be at least ${String(issue.minimum)}`;
  if (issue.code === "too_big" && issue.origin === "number") return `must be at most ${String(issue.maximum)}`;
  return issue.message;
}

/** Row-level checks the schema makes only for the whole list (and only once every field parses). */
function crossFieldErrors(s: FormState, { env, extraHosts, labels }: SubmittedRows): FieldErrors {
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
  // A record keeps one value per key and the schema sees the list only as a whole: say which row repeats.
  const labelKeys = new Set<string>();
  for (const l of labels) {
    if (labelKeys.has(l.name.trim())) errors[`labels.${l.key}.name`] = "this key is already used above";
    labelKeys.add(l.name.trim());
  }
  const hostNames = new Set<string>();
  for (const h of extraHosts) {
    const name = h.name.trim().toLowerCase();
    if (hostNames.has(name)) errors[`extraHosts.${h.key}.name`] = "this host name is already used above";
    hostNames.add(name);
  }
  if (s.previewBackend.trim() !== "" && s.previewBackend.trim() === s.backend.trim())
    errors.previewBackend = "must differ from the live backend";
  return errors;
}

/**
 * The schema's cross-field checks (duplicate volume, tmpfs over a volume, a
 * reserved label) run only once every field parses; run the same function
 * here so they show together with the field errors.
 */
function runtimeIssues(input: ReturnType<typeof toSpecInput>["input"]): { path: PropertyKey[]; message: string; code: "custom" }[] {
  const issues: { path: PropertyKey[]; message: string; code: "custom" }[] = [];
  const ctx = {
    addIssue: (i: { path?: PropertyKey[]; message?: string }) =>
      issues.push({ path: i.path ?? [], message: i.message ?? "invalid", code: "custom" }),
  };
  const { volumes = [], tmpfs = [], labels = {}, extraHosts = [] } = input;
  checkRuntimeSpec({ volumes, tmpfs, labels, extraHosts }, ctx as unknown as z.RefinementCtx);
  return issues;
}

/** Validates with the same zod schema the server uses; returns the spec to send or per-field errors. */
export function validateForm(s: FormState): { spec: ServiceSpec; errors: null } | { spec: null; errors: FieldErrors } {
  const { input, rows } = toSpecInput(s);
  const errors: FieldErrors = crossFieldErrors(s, rows);
  for (const e of rows.env) {
    if (!e.keepsStoredSecret || e.value !== "") continue;
    if (!e.secret) errors[`env.${e.key}.value`] = "enter a value: the stored secret is only kept while the variable stays secret";
    else if (e.name.trim() !== e.storedName) errors[`env.${e.key}.value`] = `enter a value: the stored secret belongs to ${e.storedName}`;
  }
  const r = ServiceSpec.safeParse(input);
  if (r.success && Object.keys(errors).length === 0) return { spec: r.data, errors: null };
  for (const issue of [...(r.error?.issues ?? []), ...runtimeIssues(input)]) {
    const key = formPath(issue.path, rows);
    if (Object.keys(errors).some((k) => k.startsWith(`${key}.`))) continue; // a list-wide issue already shown on its rows
    errors[key] ??= friendly(issue);
  }
  return { spec: null, errors };
}
