import "server-only";
import Docker from "dockerode";
import type { Actor } from "@/server/auth/actor";
import { config } from "@/server/config";
import { AppError } from "@/server/errors";
import { actorFields } from "@/server/releaseLog/actorFields";
import { recordEvent } from "@/server/releaseLog/recordEvent";
import { dockerOptions } from "./dockerClient";
import { engineError } from "./engineError";
import { hostKeyFingerprint, hostKeyType } from "./hostKeyFingerprint";
import { HostKeyRequest } from "./hostInput";
import { withTimeout } from "@/server/async/withTimeout";

export type FetchedHostKey = { url: string; keyType: string; fingerprint: string };

/**
 * Trust on first use, confirmed by an admin: opens an SSH connection only far
 * enough to see the server's host key, refuses it (so nothing is sent, no login
 * is tried) and returns its fingerprint. Nothing is stored: the admin compares it
 * with the server's own (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`) and
 * submits it with the host.
 */
export async function fetchHostKey(actor: Actor, raw: HostKeyRequest): Promise<FetchedHostKey> {
  const { url } = HostKeyRequest.parse(raw);
  const timeoutMs = config().SWITCHYARD_HOST_TIMEOUT_MS;
  const seen: { key?: Buffer } = {};
  const check = {
    verify(key: Buffer) {
      seen.key = key;
      return false;
    },
  };
  const probe = new Docker(
    dockerOptions({ url, tlsCa: null, tlsCert: null, tlsKey: null, sshKey: null, hostKeyFingerprint: null }, timeoutMs, check),
  );
  let failure: unknown = null;
  await withTimeout(probe.ping(), timeoutMs, `SSH server ${url}`).catch((err: unknown) => {
    failure = err;
  });
  if (!seen.key)
    throw new AppError(
      "UNAVAILABLE",
      `Could not read the host key of ${url}: ${failure ? engineError(failure) : "the server presented none"}.`,
    );
  const found: FetchedHostKey = { url, keyType: hostKeyType(seen.key), fingerprint: hostKeyFingerprint(seen.key) };
  recordEvent({ ...actorFields(actor), action: "host.fetch-host-key", outcome: "ok", detail: found });
  return found;
}
