"use client";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import type { HostView } from "@/server/hosts/hostView";
import type { FetchedHostKey } from "@/server/hosts/fetchHostKey";
import type { ManagedRoutingView } from "@/server/routing/managed/managedRoutingView";
import { apiFetch } from "@/components/apiFetch";
import { fleetKeys } from "@/components/fleet/queries";

/** /api/hosts: the keys, the list query and the changes (each refreshes the hosts and the fleet overview). */
export const hostKeys = { all: ["hosts"] as const };

export const hostsQuery = () => queryOptions({ queryKey: hostKeys.all, queryFn: () => apiFetch<{ hosts: HostView[] }>("/api/hosts") });

function useRefreshHosts() {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: hostKeys.all }), qc.invalidateQueries({ queryKey: fleetKeys.overview })]);
}

/** What the host form sends: strings, the insecure flag, and null to drop a pinned key. */
export type HostFormBody = Record<string, string | boolean | null>;

/** Add a host (no id) or change one. */
export function useSaveHost(id?: number) {
  const refresh = useRefreshHosts();
  return useMutation({
    mutationFn: (body: HostFormBody) =>
      id === undefined ? apiFetch("/api/hosts", { method: "POST", body }) : apiFetch(`/api/hosts/${id}`, { method: "PATCH", body }),
    onSuccess: refresh,
  });
}

export function useRemoveHost() {
  const refresh = useRefreshHosts();
  return useMutation({ mutationFn: (h: HostView) => apiFetch(`/api/hosts/${h.id}`, { method: "DELETE" }), onSuccess: refresh });
}

/** First-use host-key fetch: what an ssh:// host presents, for the admin to compare and confirm (nothing is stored). */
export function useFetchHostKey() {
  return useMutation({
    mutationFn: async (url: string) =>
      (await apiFetch<{ hostKey: FetchedHostKey }>("/api/hosts/host-key", { method: "POST", body: { url } })).hostKey,
  });
}

/** /api/routing/managed: managed HAProxy frontends/backends, the include file and the last reloads (refreshed every 10 s). */
export const managedRoutingQuery = () =>
  queryOptions({
    queryKey: ["routing", "managed"] as const,
    queryFn: () => apiFetch<ManagedRoutingView>("/api/routing/managed"),
    refetchInterval: 10_000,
  });
