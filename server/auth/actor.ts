import type { Role } from "./roles";

/** Who is calling: a browser session or an API token. */
export type Actor = {
  userId: number;
  username: string;
  role: Role;
  via: "session" | "token";
  sessionId?: string;
  ip: string | null;
  /** A token scoped to services: the only services it may change. Absent: no such limit. */
  services?: string[] | null;
};
