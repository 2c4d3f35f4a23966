"use client";
import { queryOptions } from "@tanstack/react-query";
import type { FleetHost } from "@/server/fleet/fleetOverview";
import type { HostContainers } from "@/server/fleet/hostContainers";
import { apiFetch } from "@/components/apiFetch";

/** /api/fleet and /api/hosts/:id/containers: the keys and queries (both read-only). */
export const fleetKeys = {
  overview: ["fleet"] as const,
  containers: (hostId: number) => ["host-containers", hostId] as const,
};

export const fleetQuery = () =>
  queryOptions({ queryKey: fleetKeys.overview, queryFn: () => apiFetch<{ hosts: FleetHost[] }>("/api/fleet") });

export const hostContainersQuery = (hostId: number) =>
  queryOptions({ queryKey: fleetKeys.containers(hostId), queryFn: () => apiFetch<HostContainers>(`/api/hosts/${hostId}/containers`) });
