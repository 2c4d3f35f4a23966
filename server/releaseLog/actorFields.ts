import type { Actor } from "@/server/auth/actor";

export function actorFields(actor: Actor | null) {
  return { actor: actor?.username ?? "system", actorRole: actor?.role ?? null, sourceIp: actor?.ip ?? null };
}
