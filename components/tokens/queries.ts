"use client";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import type { ApiTokenInput } from "@/server/auth/apiTokenInput";
import type { ApiTokenView } from "@/server/auth/apiTokenView";
import type { CreatedApiToken } from "@/server/auth/createApiToken";
import { apiFetch } from "@/components/apiFetch";

/** /api/tokens: the keys, the list query, create and revoke (each refreshes the list). */
export const tokenKeys = { all: ["tokens"] as const };

export const tokensQuery = () =>
  queryOptions({ queryKey: tokenKeys.all, queryFn: () => apiFetch<{ tokens: ApiTokenView[] }>("/api/tokens") });

function useRefreshTokens() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: tokenKeys.all });
}

export function useCreateApiToken() {
  const refresh = useRefreshTokens();
  return useMutation({
    mutationFn: (body: ApiTokenInput) => apiFetch<CreatedApiToken>("/api/tokens", { method: "POST", body }),
    onSuccess: refresh,
  });
}

export function useRevokeApiToken() {
  const refresh = useRefreshTokens();
  return useMutation({ mutationFn: (t: ApiTokenView) => apiFetch(`/api/tokens/${t.id}`, { method: "DELETE" }), onSettled: refresh });
}
