/** Shared with client components: no server imports here. */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function roleAllows(actual: Role, needed: Role): boolean {
  return RANK[actual] >= RANK[needed];
}
