"use client";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import type { ConsoleInput, QuarantineInput } from "@/server/quarantine/quarantineInput";
import type { QuarantineList } from "@/server/quarantine/quarantineView";
import type { ConsoleEvent } from "@/server/quarantine/runConsoleCommand";
import type { TranscriptViewEntry } from "@/server/quarantine/transcriptRows";
import { ApiError, apiFetch } from "@/components/apiFetch";

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

/** GET /api/quarantines/:id/transcript: the debug console's transcript (operators). */
export const transcriptQuery = (id: number) =>
  queryOptions({
    queryKey: [...quarantineKeys.all, id, "transcript"] as const,
    queryFn: () => apiFetch<{ quarantineId: number; status: string; entries: TranscriptViewEntry[] }>(`/api/quarantines/${id}/transcript`),
  });

/** GET /api/hosts/:id/containers/:container/console: the container's quarantine, or the refusal (409) saying why not. */
export const consoleTargetQuery = (hostId: number, container: string) =>
  queryOptions({
    queryKey: ["console-target", hostId, container] as const,
    queryFn: () =>
      apiFetch<{ quarantineId: number; name: string; hostName: string }>(
        `/api/hosts/${hostId}/containers/${encodeURIComponent(container)}/console`,
      ),
    retry: false,
  });

/**
 * POST a console command and read its streamed answer (one JSON object per
 * line) as it comes; a refusal (4xx/5xx) throws the server's message.
 */
export async function streamConsoleCommand(url: string, body: ConsoleInput, onEvent: (e: ConsoleEvent) => void): Promise<void> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok || !res.body) {
    const data = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiError(res.status, data?.error?.code ?? "HTTP", data?.error?.message ?? `HTTP ${res.status}`);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += value;
    for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim()) onEvent(JSON.parse(line) as ConsoleEvent);
    }
  }
}
