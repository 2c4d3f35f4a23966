import "server-only";
import fs from "node:fs";
import { errorMessage } from "@/server/errors";
import { listServiceRows, specOf } from "@/server/services/serviceRows";
import { lastReloads } from "./reloadRows";
import { frontendOf } from "./renderManagedConfig";
import { managedPaths } from "./syncManagedRouting";

export type ManagedRoutingView = {
  /** null when managed routing is not configured (or half configured: `error` says what is missing). */
  paths: { config: string[]; managedFile: string; masterSocket: string } | null;
  error: string | null;
  services: { service: string; mode: "http" | "tcp"; frontends: { name: string; bind: string; backend: string }[] }[];
  /** The include file as it is on disk (null: not written yet). */
  file: string | null;
  reloads: { id: number; startedAt: number; durationMs: number; outcome: string; error: string | null; trigger: string }[];
};

/** What the hosts/HAProxy settings page shows of managed routing: frontends and backends per service, the include file, the last reloads. */
export function managedRoutingView(): ManagedRoutingView {
  let paths: ReturnType<typeof managedPaths> = null;
  let error: string | null = null;
  try {
    paths = managedPaths();
  } catch (err) {
    error = errorMessage(err);
  }
  const services = listServiceRows().flatMap((row) => {
    const h = specOf(row).haproxy;
    if (!h?.managed) return [];
    const frontends = [{ name: frontendOf(h.backend), bind: h.managed.bind, backend: h.backend }];
    if (h.previewBackend && h.managed.previewBind)
      frontends.push({ name: frontendOf(h.previewBackend), bind: h.managed.previewBind, backend: h.previewBackend });
    return [{ service: row.name, mode: h.managed.mode, frontends }];
  });
  const file = paths && fs.existsSync(paths.managedFile) ? fs.readFileSync(paths.managedFile, "utf8") : null;
  return {
    paths: paths && { config: paths.configPaths, managedFile: paths.managedFile, masterSocket: paths.masterSocket },
    error,
    services,
    file,
    reloads: lastReloads(10).map((r) => ({ ...r, startedAt: r.startedAt.getTime() })),
  };
}
