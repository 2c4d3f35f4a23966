import "server-only";
import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { hosts } from "@/db/schema";
import type { Actor } from "@/server/auth/actor";
import { conflict } from "@/server/errors";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { HostInput, isPlainRemoteTcp } from "./hostInput";
import { hostView } from "./hostView";

export function createHost(actor: Actor | null, raw: HostInput) {
  const input = HostInput.parse(raw);
  const now = new Date();
  const row = db().transaction((tx) => {
    if (tx.select({ id: hosts.id }).from(hosts).where(eq(hosts.name, input.name)).get()) {
      throw conflict(`A host named '${input.name}' already exists.`);
    }
    return tx
      .insert(hosts)
      .values({
        name: input.name,
        url: input.url,
        tlsCa: input.tlsCa ?? null,
        tlsCert: input.tlsCert ?? null,
        tlsKey: input.tlsKey ?? null,
        sshKey: input.sshKey ?? null,
        hostKeyFingerprint: input.hostKeyFingerprint ?? null,
        // Stored only where it matters, so the badge never shows on a TLS, SSH or loopback host.
        insecure: input.insecure === true && isPlainRemoteTcp(input),
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
  });
  recordEvent({
    ...actorFields(actor),
    action: "host.create",
    outcome: "ok",
    hostName: row.name,
    detail: {
      after: {
        name: row.name,
        url: row.url,
        tls: Boolean(row.tlsCa || row.tlsCert),
        hostKeyFingerprint: row.hostKeyFingerprint,
        insecure: row.insecure,
      },
    },
  });
  return hostView(row);
}
