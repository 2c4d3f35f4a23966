"use client";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import type { WebhookInput, WebhookPatch } from "@/server/webhooks/webhookInput";
import type { DeliveryView, WebhookView } from "@/server/webhooks/webhookView";
import { apiFetch } from "@/components/apiFetch";

/** /api/webhooks: the keys, the list and deliveries queries, and the mutations (each refreshes what it changes). */
export const webhookKeys = {
  all: ["webhooks"] as const,
  deliveries: (id: number) => ["webhooks", id, "deliveries"] as const,
};

export type CreatedWebhook = { secret: string; webhook: WebhookView };

export const webhooksQuery = () =>
  queryOptions({
    queryKey: webhookKeys.all,
    queryFn: () => apiFetch<{ webhooks: WebhookView[] }>("/api/webhooks"),
    refetchInterval: 5000,
  });

export const deliveriesQuery = (id: number) =>
  queryOptions({
    queryKey: webhookKeys.deliveries(id),
    queryFn: () => apiFetch<{ deliveries: DeliveryView[] }>(`/api/webhooks/${id}/deliveries`),
    // Pending deliveries change quickly (retries); settled lists rarely.
    refetchInterval: (q) => (q.state.data?.deliveries.some((d) => d.status === "pending" || d.status === "sending") ? 1000 : 5000),
  });

function useRefresh() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: webhookKeys.all });
}

export function useCreateWebhook() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: WebhookInput) => apiFetch<CreatedWebhook>("/api/webhooks", { method: "POST", body }),
    onSuccess: refresh,
  });
}

export function useUpdateWebhook() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, patch }: { id: number; patch: WebhookPatch }) => apiFetch(`/api/webhooks/${id}`, { method: "PATCH", body: patch }),
    onSettled: refresh,
  });
}

export function useDeleteWebhook() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (id: number) => apiFetch(`/api/webhooks/${id}`, { method: "DELETE" }), onSettled: refresh });
}

export function useRedeliver(webhookId: number) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (deliveryId: number) =>
      apiFetch(`/api/webhooks/${webhookId}/deliveries/${deliveryId}/redeliver`, { method: "POST", body: {} }),
    onSettled: refresh,
  });
}
