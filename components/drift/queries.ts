"use client";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import type { baselineContainer } from "@/server/drift/baselineContainer";
import type { ChangesPage, ContainerDetail } from "@/server/drift/containerDetail";
import type { IgnoreRuleInput } from "@/server/drift/driftInput";
import type { FleetReport } from "@/server/drift/driftReport";
import type { IgnoreRuleView } from "@/server/drift/ignoreRuleRows";
import type { Json } from "@/server/http/json";
import type { OperationWithSteps } from "@/server/operations/operationLog";
import { apiFetch } from "@/components/apiFetch";

export const containerPath = (host: string, container: string) =>
  `/api/drift/hosts/${encodeURIComponent(host)}/containers/${encodeURIComponent(container)}`;

/** /api/drift: the keys, the report, container and rule queries, and the changes. */
export const driftKeys = {
  report: ["drift"] as const,
  /** Every container detail (the prefix of `container`). */
  containers: ["drift-container"] as const,
  container: (host: string, container: string) => ["drift-container", host, container] as const,
  changes: (host: string, container: string, page: number, dir: string | null) =>
    ["drift-changes", containerPath(host, container), page, dir] as const,
  rules: ["drift-rules"] as const,
};

export const driftReportQuery = () => queryOptions({ queryKey: driftKeys.report, queryFn: () => apiFetch<FleetReport>("/api/drift") });

export const containerDriftQuery = (host: string, container: string) =>
  queryOptions({
    queryKey: driftKeys.container(host, container),
    queryFn: () => apiFetch<ContainerDetail>(containerPath(host, container)),
  });

export const changesQuery = (host: string, container: string, page: number, pageSize: number, dir: string | null) => {
  const qs = new URLSearchParams({ page: String(page), pageSize: String(pageSize), ...(dir ? { dir } : {}) });
  return queryOptions({
    queryKey: driftKeys.changes(host, container, page, dir),
    queryFn: () => apiFetch<ChangesPage>(`${containerPath(host, container)}/changes?${qs}`),
  });
};

export const ignoreRulesQuery = () =>
  queryOptions({ queryKey: driftKeys.rules, queryFn: () => apiFetch<{ rules: IgnoreRuleView[] }>("/api/drift/ignore-rules") });

/** Scan now: the report polls faster while the scan runs. */
export function useStartScan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch("/api/drift/scans", { method: "POST", body: {} }),
    onSettled: () => qc.invalidateQueries({ queryKey: driftKeys.report }),
  });
}

export function useReplaceDrifted() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (service: string) =>
      apiFetch<{ operation: Json<OperationWithSteps> }>(`/api/drift/services/${encodeURIComponent(service)}/replace`, {
        method: "POST",
        body: {},
      }),
    onSettled: () => qc.invalidateQueries({ queryKey: driftKeys.report }),
  });
}

/** Baseline a container: new rules re-judge every stored result, so every query is refreshed. */
export function useBaseline(host: string, container: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiFetch<Json<ReturnType<typeof baselineContainer>>>(`${containerPath(host, container)}/baseline`, { method: "POST", body: {} }),
    onSettled: () => qc.invalidateQueries(),
  });
}

/** Add a rule (no id) or change one. */
export function useSaveIgnoreRule(id?: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: IgnoreRuleInput) =>
      apiFetch(id ? `/api/drift/ignore-rules/${id}` : "/api/drift/ignore-rules", { method: id ? "PATCH" : "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: driftKeys.rules }),
  });
}

export function useDeleteIgnoreRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiFetch(`/api/drift/ignore-rules/${id}`, { method: "DELETE" }),
    onSettled: () => qc.invalidateQueries({ queryKey: driftKeys.rules }),
  });
}
