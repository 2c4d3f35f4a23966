import "server-only";
import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { db } from "@/db/client";
import { hosts } from "@/db/schema";
import type { Actor } from "@/server/auth/actor";
import { conflict, invalid } from "@/server/errors";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { HostInput, HostPatch, isPlainRemoteTcp } from "./hostInput";
import { hostRow } from "./hostRegistry";
import { hostView } from "./hostView";

/** Applies a patch, re-validating the merged host so TLS/SSH rules still hold. */
export function updateHost(actor: Actor, id: number, raw: HostPatch) {
  const patch = HostPatch.parse(raw);
  const before = hostRow(id);
  const merged = {
    name: patch.name ?? before.name,
    url: patch.url ?? before.url,
    tlsCa: patch.tlsCa === undefined ? before.tlsCa : patch.tlsCa,
    tlsCert: patch.tlsCert === undefined ? before.tlsCert : patch.tlsCert,
    tlsKey: patch.tlsKey === undefined ? before.tlsKey : patch.tlsKey,
    sshKey: patch.sshKey === undefined ? before.sshKey : patch.sshKey,
    hostKeyFingerprint: patch.hostKeyFingerprint === undefined ? before.hostKeyFingerprint : patch.hostKeyFingerprint,
    insecure: patch.insecure ?? before.insecure,
  };
  const check = HostInput.safeParse(Object.fromEntries(Object.entries(merged).filter(([, v]) => v != null)));
  if (!check.success) throw invalid(z.prettifyError(check.error));
  const row = db().transaction((tx) => {
    if (
      tx
        .select({ id: hosts.id })
        .from(hosts)
        .where(and(eq(hosts.name, merged.name), ne(hosts.id, id)))
        .get()
    ) {
      throw conflict(`A host named '${merged.name}' already exists.`);
    }
    return tx
      .update(hosts)
      .set({
        ...merged,
        tlsCa: merged.tlsCa ?? null,
        tlsCert: merged.tlsCert ?? null,
        tlsKey: merged.tlsKey ?? null,
        sshKey: merged.sshKey ?? null,
        hostKeyFingerprint: merged.hostKeyFingerprint ?? null,
        insecure: merged.insecure && isPlainRemoteTcp(merged),
        updatedAt: new Date(),
        lastError: null,
        lastErrorAt: null,
      })
      .where(eq(hosts.id, id))
      .returning()
      .get();
  });
  recordEvent({
    ...actorFields(actor),
    action: "host.update",
    outcome: "ok",
    hostName: row.name,
    detail: {
      before: { name: before.name, url: before.url, hostKeyFingerprint: before.hostKeyFingerprint, insecure: before.insecure },
      after: { name: row.name, url: row.url, hostKeyFingerprint: row.hostKeyFingerprint, insecure: row.insecure },
    },
  });
  return hostView(row);
}
