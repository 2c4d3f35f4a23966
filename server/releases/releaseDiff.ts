/**
 * What changed between two releases: the image digest and each spec field.
 * Pure and generic: it walks the spec objects, so a field added to the spec
 * (volumes, tmpfs, command, limits...) shows up without being listed here.
 *
 * - Paths are dotted: `limits.pids`, `healthCheck.intervalMs`.
 * - Arrays of objects that carry an identity (`name`, else `host`, else
 *   `target`, unique on both sides) are compared element by element under that
 *   identity: `env.LOG_LEVEL`, `placement.alpha.replicas`. A `value` field is
 *   reported at its element's path (`env.LOG_LEVEL`, not `env.LOG_LEVEL.value`).
 * - Other arrays (command, a list of strings) are compared as one value.
 * - An element marked `secret: true` on either side never shows its `value`:
 *   a change is reported as `secret: true` with no before/after, an added or
 *   removed secret shows SECRET_MASK in place of the value.
 */
import { SECRET_MASK } from "@/server/services/serviceSpecInput";

export type SpecChange = {
  path: string;
  change: "added" | "removed" | "changed";
  /** Absent when the field did not exist before, or when it is a secret value. */
  before?: unknown;
  /** Absent when the field is gone, or when it is a secret value. */
  after?: unknown;
  /** A secret value changed: shown as "changed" only, never its values. */
  secret?: true;
};

export type ReleaseSide = { number: number; imageDigest: string | null; spec: unknown };

export type ReleaseDiff = {
  from: number;
  to: number;
  imageDigest: { before: string | null; after: string | null; changed: boolean };
  changes: SpecChange[];
};

const IDENTITY_KEYS = ["name", "host", "target"] as const;

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlain(a) && isPlain(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** The key that names each element of both arrays (unique on each side), or null to compare the arrays whole. */
function identityKey(a: unknown[], b: unknown[]): string | null {
  const all = [...a, ...b];
  if (all.length === 0 || !all.every(isPlain)) return null;
  return (
    IDENTITY_KEYS.find((k) =>
      [a, b].every((side) => {
        const ids = side.map((e) => (e as Plain)[k]);
        return ids.every((id) => typeof id === "string" && id !== "") && new Set(ids).size === ids.length;
      }),
    ) ?? null
  );
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** A value shown whole (added or removed): every secret value in it masked, at any depth. */
function masked(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(masked);
  if (!isPlain(v)) return v;
  const out = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, masked(x)]));
  return v.secret === true && "value" in v ? { ...out, value: SECRET_MASK } : out;
}

function walk(before: unknown, after: unknown, path: string, secret: boolean, out: SpecChange[]): void {
  if (deepEqual(before, after)) return;
  if (before === undefined) return void out.push({ path, change: "added", after: secret ? SECRET_MASK : masked(after) });
  if (after === undefined) return void out.push({ path, change: "removed", before: secret ? SECRET_MASK : masked(before) });
  if (secret) return void out.push({ path, change: "changed", secret: true });
  if (isPlain(before) && isPlain(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const k of keys) walk(before[k], after[k], join(path, k), false, out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const id = identityKey(before, after);
    if (id) return walkKeyed(before as Plain[], after as Plain[], id, path, out);
  }
  out.push({ path, change: "changed", before: masked(before), after: masked(after) });
}

function walkKeyed(before: Plain[], after: Plain[], id: string, path: string, out: SpecChange[]): void {
  const byId = (side: Plain[]) => new Map(side.map((e) => [e[id] as string, e]));
  const b = byId(before);
  const a = byId(after);
  const ids = [...new Set([...b.keys(), ...a.keys()])];
  for (const name of ids) {
    const eb = b.get(name);
    const ea = a.get(name);
    const at = join(path, name);
    if (!eb || !ea) {
      walk(eb, ea, at, false, out);
      continue;
    }
    const secret = eb.secret === true || ea.secret === true;
    const keys = [...new Set([...Object.keys(eb), ...Object.keys(ea)])].filter((k) => k !== id);
    for (const k of keys) walk(eb[k], ea[k], k === "value" ? at : join(at, k), secret && k === "value", out);
  }
}

/** Each changed field between two specs (any JSON objects), in spec order. */
export function specChanges(before: unknown, after: unknown): SpecChange[] {
  const out: SpecChange[] = [];
  walk(before, after, "", false, out);
  return out;
}

/** The diff between two releases: image digest and spec changes. */
export function releaseDiff(from: ReleaseSide, to: ReleaseSide): ReleaseDiff {
  return {
    from: from.number,
    to: to.number,
    imageDigest: { before: from.imageDigest, after: to.imageDigest, changed: from.imageDigest !== to.imageDigest },
    changes: specChanges(from.spec, to.spec),
  };
}

/** One line per change, for messages: `env.LOG_LEVEL: "info" → "debug"`, `env.TOKEN: changed (secret)`. */
export function describeChange(c: SpecChange): string {
  const show = (v: unknown) => JSON.stringify(v);
  if (c.secret) return `${c.path}: changed (secret)`;
  if (c.change === "added") return `${c.path}: added ${show(c.after)}`;
  if (c.change === "removed") return `${c.path}: removed (was ${show(c.before)})`;
  return `${c.path}: ${show(c.before)} → ${show(c.after)}`;
}
