"use client";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import type { HostView } from "@/server/hosts/hostView";
import { apiFetch } from "@/components/apiFetch";
import { fleetKeys } from "@/components/fleet/queries";

/** /api/hosts: the keys, the list query and the changes (each refreshes the hosts and the fleet overview). */
export const hostKeys = { all: ["hosts"] as const };

export const hostsQuery = () => queryOptions({ queryKey: hostKeys.all, queryFn: () => apiFetch<{ hosts: HostView[] }>("/api/hosts") });

function useRefreshHosts() {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: hostKeys.all }), qc.invalidateQueries({ queryKey: fleetKeys.overview })]);
}

/** Add a host (no id) or change one. */
export function useSaveHost(id?: number) {
  const refresh = useRefreshHosts();
  return useMutation({
    mutationFn: (body: Record<string, string>) => (id === undefined ? apiFetch("/api/hosts", { method: "POST", body }) : apiFetch(`/api/hosts/${id}`, { method: "PATCH", body })),
    onSuccess: refresh,
  });
}

export function useRemoveHost() {
  const refresh = useRefreshHosts();
  return useMutation({ mutationFn: (h: HostView) => apiFetch(`/api/hosts/${h.id}`, { method: "DELETE" }), onSuccess: refresh });
}
