"use client";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import type { UserInput, UserPatch } from "@/server/users/userInput";
import type { UserView } from "@/server/users/userView";
import { apiFetch } from "@/components/apiFetch";

/** /api/users: the keys, the list query and the changes (each refreshes the list). */
export const userKeys = { all: ["users"] as const };

export const usersQuery = () => queryOptions({ queryKey: userKeys.all, queryFn: () => apiFetch<{ users: UserView[] }>("/api/users") });

function useRefreshUsers() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: userKeys.all });
}

export function useCreateUser() {
  const refresh = useRefreshUsers();
  return useMutation({
    mutationFn: (body: UserInput) => apiFetch<{ user: UserView }>("/api/users", { method: "POST", body }),
    onSuccess: refresh,
  });
}

export function useUpdateUser() {
  const refresh = useRefreshUsers();
  return useMutation({
    mutationFn: ({ user, patch }: { user: UserView; patch: UserPatch }) =>
      apiFetch<{ user: UserView }>(`/api/users/${user.id}`, { method: "PATCH", body: patch }),
    onSettled: refresh,
  });
}

export function useDeleteUser() {
  const refresh = useRefreshUsers();
  return useMutation({ mutationFn: (user: UserView) => apiFetch(`/api/users/${user.id}`, { method: "DELETE" }), onSettled: refresh });
}
