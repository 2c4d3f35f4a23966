/** Shared with client components: no server imports here (the enum lists come from the schema's own file). */
import { ROLES } from "@/db/schema/enums";

export { ROLES };
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function roleAllows(actual: Role, needed: Role): boolean {
  return RANK[actual] >= RANK[needed];
}
