import type { Role } from "./roles";

/** What anyone may see of an API token: never the secret or its hash. */
export type ApiTokenView = {
  id: number;
  name: string;
  role: Role;
  /** Services the token may change; null: not limited to services. */
  services: string[] | null;
  owner: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
};

export type ApiTokenRow = {
  id: number;
  userId: number;
  name: string;
  role: Role;
  services: string[] | null;
  owner: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export function apiTokenView(t: ApiTokenRow): ApiTokenView {
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    services: t.services,
    owner: t.owner,
    createdAt: t.createdAt.getTime(),
    lastUsedAt: t.lastUsedAt?.getTime() ?? null,
    revokedAt: t.revokedAt?.getTime() ?? null,
  };
}
