"use client";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import type { QuarantineInput } from "@/server/quarantine/quarantineInput";
import type { QuarantineList } from "@/server/quarantine/quarantineView";
import { apiFetch } from "@/components/apiFetch";

export type QuarantineData = QuarantineList & { /** server clock minus this browser's, for the countdowns */ offsetMs: number };

/** /api/quarantines: the key, the list (shared by the quarantine page and the Quarantine dialog: one cache entry) and the actions. */
export const quarantineKeys = { all: ["quarantines"] as const };

export const quarantinesQuery = () =>
  queryOptions({
    queryKey: quarantineKeys.all,
    queryFn: async (): Promise<QuarantineData> => {
      const sent = Date.now();
      const d = await apiFetch<QuarantineList>("/api/quarantines");
      return { ...d, offsetMs: d.now - Math.round((sent + Date.now()) / 2) };
    },
  });

/** Quarantine a container: services, hosts and drift all change, so every query is refreshed. */
export function useStartQuarantine() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: QuarantineInput) => apiFetch<unknown>("/api/quarantines", { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries(),
  });
}

/** extend, cancel, destroy: POST /api/quarantines/:id/:verb. */
export function useQuarantineAction(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ verb, body }: { verb: string; body: unknown }) =>
      apiFetch<unknown>(`/api/quarantines/${id}/${verb}`, { method: "POST", body }),
    onSettled: () => qc.invalidateQueries({ queryKey: quarantineKeys.all }),
  });
}
