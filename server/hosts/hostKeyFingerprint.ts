import "server-only";
import { createHash } from "node:crypto";

/**
 * OpenSSH's fingerprint of a raw host key (the SSH wire-format blob ssh2 hands to
 * `hostVerifier`): "SHA256:" + base64(sha256(key)) without the `=` padding, the
 * form `ssh-keyscan -p PORT HOST | ssh-keygen -lf -` prints.
 */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

/** The key type named inside the blob ("ssh-ed25519", "ecdsa-sha2-nistp256", ...). */
export function hostKeyType(key: Buffer): string {
  if (key.length < 4) return "unknown";
  const len = key.readUInt32BE(0);
  return len > 0 && len < 64 && key.length >= 4 + len ? key.subarray(4, 4 + len).toString("latin1") : "unknown";
}

/** ssh2's message when a hostVerifier said no. */
export const HOST_DENIED = "Host denied (verification failed)";

/** What dockerOptions hands ssh2 as `hostVerifier`: true lets the connection go on. */
export type HostKeyCheck = { verify(key: Buffer): boolean };

/**
 * Pins one fingerprint: `verify` is ssh2's hostVerifier; `explain` turns the
 * generic "Host denied" error of a failed check into one that names both keys.
 */
export function hostKeyPin(expected: string | null): HostKeyCheck & { explain(err: Error): Error } {
  let presented: string | null = null;
  return {
    verify(key: Buffer): boolean {
      presented = hostKeyFingerprint(key);
      return expected !== null && presented === expected;
    },
    explain(err: Error): Error {
      if (!err.message?.includes(HOST_DENIED)) return err;
      const message = expected
        ? `host key mismatch: expected ${expected}, got ${presented ?? "no key"}`
        : `no SSH host key pinned for this host (it presents ${presented ?? "no key"}): edit the host and confirm its fingerprint`;
      return new Error(message, { cause: err });
    },
  };
}
