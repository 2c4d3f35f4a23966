"use client";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import type { Json } from "@/server/http/json";
import type { RolloutView } from "@/server/rollouts/rolloutView";
import { apiFetch } from "@/components/apiFetch";
import { serviceKeys } from "@/components/services/queries";

const path = (name: string) => `/api/services/${encodeURIComponent(name)}/rollout`;

export const rolloutKeys = { rollout: (name: string) => ["rollout", name] as const };

/** The service's latest rollout with its gate measurements; polled every second while it runs. */
export const rolloutQuery = (name: string) =>
  queryOptions({
    queryKey: rolloutKeys.rollout(name),
    queryFn: () => apiFetch<Json<RolloutView>>(path(name)),
    refetchInterval: (q) => {
      const status = q.state.data?.rollout?.status;
      return status === "running" || status === "paused" ? 1000 : 5000;
    },
  });

type RolloutCommand = "start" | "continue" | "pause" | "abort" | "promote";

/** Start (POST …/rollout) or Continue / Pause / Abort / Promote (POST …/rollout/<command>). */
export function useRolloutCommand(name: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (command: RolloutCommand) =>
      apiFetch(command === "start" ? path(name) : `${path(name)}/${command}`, { method: "POST", body: {} }),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: rolloutKeys.rollout(name) }),
        qc.invalidateQueries({ queryKey: serviceKeys.overview(name) }),
      ]),
  });
}
