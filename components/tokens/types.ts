import type { Role } from "@/server/auth/roles";

/** Client-side shapes of /api/tokens (mirrors server/auth/apiTokenView.ts, without server imports). */
export type ApiTokenView = {
  id: number;
  name: string;
  role: Role;
  services: string[] | null;
  owner: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
};

export type CreatedApiToken = { token: string; apiToken: ApiTokenView };
