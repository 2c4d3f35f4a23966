"use client";
import { useMutation } from "@tanstack/react-query";
import { apiFetch } from "@/components/apiFetch";

type Credentials = { username: unknown; password: unknown };

/** Log in, then open the dashboard (a full page load: the session cookie changes what the server renders). */
export function useLogin() {
  return useMutation({
    mutationFn: (body: Credentials) => apiFetch("/api/auth/login", { method: "POST", body }),
    onSuccess: () => window.location.assign("/"),
  });
}

/** Create the first admin, log in as them, open the dashboard. */
export function useSetup() {
  return useMutation({
    mutationFn: async (body: Credentials) => {
      await apiFetch("/api/setup", { method: "POST", body });
      await apiFetch("/api/auth/login", { method: "POST", body });
    },
    onSuccess: () => window.location.assign("/"),
  });
}
