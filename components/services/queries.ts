"use client";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import type { Json } from "@/server/http/json";
import type { OperationWithSteps } from "@/server/operations/operationLog";
import type { ReleaseDiff } from "@/server/releases/releaseDiff";
import type { ShiftOutcome } from "@/server/releases/shiftView";
import type { SmokeRun } from "@/server/releases/smokeView";
import type { ServiceSummary } from "@/server/services/listServices";
import type { ServiceOverview } from "@/server/services/serviceOverview";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";
import type { ServiceVolumesView } from "@/server/volumes/listServiceVolumes";
import type { ServiceTrafficView } from "@/server/live/serviceTraffic";
import type { TrafficRange } from "@/server/live/trafficSeries";
import { apiFetch } from "@/components/apiFetch";

const path = (name: string) => `/api/services/${encodeURIComponent(name)}`;

/** /api/services and /api/operations: keys, queries and the changes. */
export const serviceKeys = {
  list: ["services"] as const,
  overview: (name: string) => ["service", name] as const,
  /** The spec the edit form starts from (kept apart from the polled overview). */
  spec: (name: string | undefined) => ["service-spec", name] as const,
  operation: (id: number) => ["operation", id] as const,
  volumes: (name: string) => ["service-volumes", name] as const,
  releaseDiff: (name: string, from: number, to: number) => ["release-diff", name, from, to] as const,
  /** `sides`: the releases on the page and their status ("4:live,1:standby"), so a switch fetches again. */
  traffic: (name: string, range: TrafficRange, sides: string) => ["service-traffic", name, range, sides] as const,
};

export const servicesQuery = () =>
  queryOptions({ queryKey: serviceKeys.list, queryFn: () => apiFetch<{ services: ServiceSummary[] }>("/api/services") });

export const serviceOverviewQuery = (name: string) =>
  queryOptions({ queryKey: serviceKeys.overview(name), queryFn: () => apiFetch<Json<ServiceOverview>>(path(name)) });

export const serviceSpecQuery = (name: string | undefined) =>
  queryOptions({ queryKey: serviceKeys.spec(name), queryFn: () => apiFetch<{ service: { spec: ServiceSpec } }>(path(name ?? "")) });

/** What changed from release `from` to release `to` (releases never change once recorded: no refetching). */
export const releaseDiffQuery = (name: string, from: number, to: number) =>
  queryOptions({
    queryKey: serviceKeys.releaseDiff(name, from, to),
    queryFn: () => apiFetch<{ diff: ReleaseDiff }>(`${path(name)}/releases/diff?from=${from}&to=${to}`),
    staleTime: Infinity,
  });

export const operationQuery = (id: number) =>
  queryOptions({
    queryKey: serviceKeys.operation(id),
    queryFn: () => apiFetch<{ operation: Json<OperationWithSteps> }>(`/api/operations/${id}`),
  });

/** deploy, redeploy, switch, rollback, retire: POST /api/services/:name/:action. */
export function useServiceAction(name: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: string; body?: unknown }) =>
      apiFetch<{ ms?: number }>(`${path(name)}/${action}`, { method: "POST", body: body ?? {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: serviceKeys.overview(name) }),
  });
}

/** Create (isEdit false) or update a service's spec. */
export function useSaveService(isEdit: boolean) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (spec: ServiceSpec) =>
      isEdit ? apiFetch(path(spec.name), { method: "PUT", body: spec }) : apiFetch("/api/services", { method: "POST", body: spec }),
    onSuccess: (_res, spec) =>
      Promise.all([
        qc.invalidateQueries({ queryKey: serviceKeys.list }),
        qc.invalidateQueries({ queryKey: serviceKeys.overview(spec.name) }),
        qc.removeQueries({ queryKey: serviceKeys.spec(spec.name) }),
      ]),
  });
}

export function useImportServices() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (content: string) =>
      apiFetch<{ created: string[]; updated: string[] }>("/api/services/import", { method: "POST", body: { content } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: serviceKeys.list }),
  });
}

/** The service's data volumes on every host: GET /api/services/:name/volumes. */
export const serviceVolumesQuery = (name: string) =>
  queryOptions({ queryKey: serviceKeys.volumes(name), queryFn: () => apiFetch<ServiceVolumesView>(`${path(name)}/volumes`) });

/** Admin: delete one host's copy of a volume (refused with the reason while a container mounts it). */
export function useDeleteVolume(name: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ volume, host }: { volume: string; host: string }) =>
      apiFetch<{ deleted: string[]; host: string; volume: string }>(
        `${path(name)}/volumes/${encodeURIComponent(volume)}?host=${encodeURIComponent(host)}`,
        { method: "DELETE" },
      ),
    onSettled: () => qc.invalidateQueries({ queryKey: serviceKeys.volumes(name) }),
  });
}

/** GET /api/services/:name/traffic: the history behind the charts, refetched about once per step (history rows close every 10 s). */
export const serviceTrafficQuery = (name: string, range: TrafficRange, sides: string) =>
  queryOptions({
    queryKey: serviceKeys.traffic(name, range, sides),
    queryFn: () => apiFetch<ServiceTrafficView>(`${path(name)}/traffic?range=${range}`),
    refetchInterval: range === "15m" ? 5000 : range === "1h" ? 15_000 : 60_000,
    placeholderData: (previous) => previous,
  });

/** POST /api/services/:name/shift: the candidate's share of the traffic, in percent. */
export function useShiftTraffic(name: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (weight: number) => apiFetch<ShiftOutcome>(`${path(name)}/shift`, { method: "POST", body: { weight } }),
    onSettled: () => qc.invalidateQueries({ queryKey: serviceKeys.overview(name) }),
  });
}

/** POST /api/services/:name/smoke: the smoke checks against the candidate, now. */
export function useSmokeTest(name: string) {
  return useMutation({ mutationFn: () => apiFetch<SmokeRun>(`${path(name)}/smoke`, { method: "POST", body: {} }) });
}
