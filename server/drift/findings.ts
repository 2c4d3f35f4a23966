/** What a scan found on one container, besides its filesystem changes. Pure. */
import type { FindingCategory } from "./constants";

export type Finding = {
  /** Stable across scans: "image:id", "config:env:GREETING", "registry:tag". */
  key: string;
  category: FindingCategory;
  field: string;
  message: string;
  /** Never a secret value: secrets are reported as "value differs" only. */
  expected?: string | null;
  actual?: string | null;
  /** Informational: shown, never makes a container drifted. */
  info?: boolean;
};

export const findingKey = (category: FindingCategory, field: string, item?: string) =>
  [category, field, item].filter((s) => s !== undefined).join(":");

/** "K=V" list → map (the first '=' splits; "K" alone is an empty value). */
export function envMap(env: string[] | null | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of env ?? []) {
    const i = e.indexOf("=");
    m.set(i < 0 ? e : e.slice(0, i), i < 0 ? "" : e.slice(i + 1));
  }
  return m;
}

export const show = (v: unknown): string => (v === null || v === undefined ? "—" : Array.isArray(v) ? JSON.stringify(v) : String(v));

export function sameList(a: string[] | null | undefined, b: string[] | null | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
