/** POST /api/auth/logout: end this session, or every session of the user. zod only. */
import { z } from "zod";

export const LogoutInput = z.object({ everywhere: z.boolean().default(false) }).strict();
export type LogoutInput = z.infer<typeof LogoutInput>;
