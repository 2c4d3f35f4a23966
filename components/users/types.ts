import type { Role } from "@/server/auth/roles";

/** Client-side shape of /api/users (mirrors server/users/userView.ts, without server imports). */
export type UserView = { id: number; username: string; role: Role; createdAt: number; sessions: number; tokens: number };
