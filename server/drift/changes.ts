/** Filesystem changes (docker diff), pure: normalised, grouped by directory, paged. */
import { CHANGE_KINDS, type ChangeKind } from "./constants";

/** Stored compactly: [kind index, path]. */
export type StoredChange = [0 | 1 | 2, string];

/**
 * The engine's answer to GET /containers/{id}/changes as dockerode hands it
 * over: the parsed list, or (when the engine says `null`, no changes) the raw
 * body as a Buffer.
 */
export function engineChangeList(raw: unknown): { Path: string; Kind: number }[] {
  if (Array.isArray(raw)) return raw as { Path: string; Kind: number }[];
  if (raw instanceof Uint8Array || typeof raw === "string") {
    const parsed: unknown = JSON.parse(Buffer.from(raw).toString("utf8") || "null");
    return Array.isArray(parsed) ? (parsed as { Path: string; Kind: number }[]) : [];
  }
  return [];
}

/**
 * From the engine's list: sorted by path, without the "changed" entries of
 * directories that only changed because something inside them did (docker
 * diff reports every parent of an added file as changed).
 */
export function normaliseChanges(list: { Path: string; Kind: number }[] | null | undefined): StoredChange[] {
  const all = (list ?? [])
    .filter((c) => c.Kind === 0 || c.Kind === 1 || c.Kind === 2)
    .map((c): StoredChange => [c.Kind as 0 | 1 | 2, c.Path]);
  all.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const parents = new Set<string>();
  for (const [, path] of all) {
    for (let d = dirOf(path); !parents.has(d); d = dirOf(d)) {
      parents.add(d);
      if (d === "/") break;
    }
  }
  return all.filter(([kind, path]) => kind !== 0 || !parents.has(path));
}

export const kindName = (k: 0 | 1 | 2): ChangeKind => CHANGE_KINDS[k];

export function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

export type DirectoryGroup = { dir: string; total: number; changed: number; added: number; deleted: number; ignored: number };

/** Changes grouped by their directory, the largest groups first. */
export function groupByDirectory(changes: StoredChange[], isIgnored: (path: string) => boolean): DirectoryGroup[] {
  const groups = new Map<string, DirectoryGroup>();
  for (const [kind, path] of changes) {
    const dir = dirOf(path);
    let g = groups.get(dir);
    if (!g) groups.set(dir, (g = { dir, total: 0, changed: 0, added: 0, deleted: 0, ignored: 0 }));
    g.total++;
    g[kindName(kind)]++;
    if (isIgnored(path)) g.ignored++;
  }
  return [...groups.values()].sort((a, b) => b.total - a.total || a.dir.localeCompare(b.dir));
}

export function countKinds(changes: StoredChange[]): Record<ChangeKind, number> {
  const counts = { changed: 0, added: 0, deleted: 0 };
  for (const [kind] of changes) counts[kindName(kind)]++;
  return counts;
}

/** One page of items (pages start at 1) with the totals a pager needs. */
export function pageOf<T>(items: T[], page: number, pageSize: number) {
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  return { items: items.slice((page - 1) * pageSize, page * pageSize), page, pageSize, total: items.length, pages };
}

/**
 * Drops the changes under the release's volume and tmpfs targets: their
 * contents are data, not the image's filesystem. The engine may also list the
 * mount point itself (created in the container layer) and its parents as
 * changed directories: those go too, when they are only "changed" entries.
 */
export function withoutMountedPaths(changes: StoredChange[], targets: readonly string[]): StoredChange[] {
  if (!targets.length) return changes;
  const parents = new Set<string>();
  for (const t of targets) for (let d = dirOf(t); d !== "/"; d = dirOf(d)) parents.add(d);
  return changes.filter(([kind, path]) => {
    if (targets.some((t) => path === t || path.startsWith(`${t}/`))) return false;
    return !(kind === 0 && parents.has(path));
  });
}
