import "server-only";
import type { Role } from "@/server/auth/roles";

/** What the users page and API show of a user: never the password hash. */
export type UserView = { id: number; username: string; role: Role; createdAt: number; sessions: number; tokens: number };

export type UserRow = { id: number; username: string; role: Role; createdAt: Date };

/** The audit form of a user (before/after): who and which role, never a hash. */
export function auditUser(u: UserRow): { id: number; username: string; role: Role } {
  return { id: u.id, username: u.username, role: u.role };
}
