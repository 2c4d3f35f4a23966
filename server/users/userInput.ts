/** What an admin sends to create or change a user. Shared by the API, the users page and OpenAPI: zod only. */
import { z } from "zod";
import { ROLES } from "@/server/auth/roles";

export const Username = z
  .string()
  .trim()
  .regex(/^[a-z0-9_.-]{2,64}$/i, "username: 2-64 letters, digits, '.', '_' or '-'");
export const Password = z.string().min(10, "password must be at least 10 characters").max(1024, "password: at most 1024 characters");

export const UserInput = z.object({ username: Username, password: Password, role: z.enum(ROLES) }).strict();
export type UserInput = z.infer<typeof UserInput>;

/** A new role and/or a new password; either one ends the user's sessions. */
export const UserPatch = z
  .object({ role: z.enum(ROLES).optional(), password: Password.optional() })
  .strict()
  .refine((p) => p.role !== undefined || p.password !== undefined, "give a new role or a new password");
export type UserPatch = z.infer<typeof UserPatch>;
