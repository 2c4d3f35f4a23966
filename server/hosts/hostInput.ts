/** Shared by the API and the host form: zod only, no server imports. */
import { z } from "zod";

const PEM = z
  .string()
  .trim()
  .refine((s) => /-----BEGIN [A-Z ]+-----[\s\S]+-----END [A-Z ]+-----/.test(s), "must be a PEM block (-----BEGIN ...-----)");

const optionalPem = z.union([PEM, z.literal("").transform(() => undefined)]).optional();

export const HOST_URL_HINT = "unix:///var/run/docker.sock, tcp://10.0.0.5:2376 or ssh://user@host[:22]";

const HOST_URL_RE = /^(tcp|ssh):\/\/(?:([^@/\s]+)@)?([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/;

export const HostUrl = z
  .string()
  .trim()
  .min(1, "url is required")
  .max(500)
  .refine((s) => {
    if (s.startsWith("unix:///")) return s.length > 8;
    const m = HOST_URL_RE.exec(s);
    if (!m) return false;
    if (m[1] === "tcp" && !m[4]) return false;
    return !m[4] || (Number(m[4]) > 0 && Number(m[4]) < 65536);
  }, `url must look like ${HOST_URL_HINT}`);

export const HostName = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/i, "name: 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");

/** sha256 is 32 bytes: 43 base64 characters once the `=` padding is dropped, as OpenSSH prints it. */
export const HOST_KEY_FINGERPRINT_RE = /^SHA256:[A-Za-z0-9+/]{43}$/;
export const HOST_KEY_HINT = "SHA256:<43 base64 characters>, as `ssh-keyscan -p PORT HOST | ssh-keygen -lf -` prints it";

const HostKeyFingerprint = z
  .string()
  .trim()
  .regex(HOST_KEY_FINGERPRINT_RE, `hostKeyFingerprint must be an SSH host key fingerprint: ${HOST_KEY_HINT}`);
const optionalFingerprint = z.union([HostKeyFingerprint, z.literal("").transform(() => undefined)]).optional();

/** 127.0.0.0/8, ::1 and localhost: plain TCP there never leaves the machine. */
export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/** A tcp:// url without TLS material, to an address other than loopback: traffic in clear over the network. */
export function isPlainRemoteTcp(h: { url: string; tlsCa?: string | null; tlsCert?: string | null }): boolean {
  if (!h.url.startsWith("tcp://") || h.tlsCa || h.tlsCert) return false;
  const m = HOST_URL_RE.exec(h.url);
  return !m || !isLoopbackHostname(m[3]!);
}

export const PLAIN_TCP_REFUSED =
  "plain tcp:// without TLS to a non-loopback address is refused: the Docker API would be open to anyone on the network. Add TLS certificates (tlsCa, tlsCert, tlsKey), use ssh://, or set insecure: true to accept the risk";

export const HostInput = z
  .object({
    name: HostName,
    url: HostUrl,
    tlsCa: optionalPem,
    tlsCert: optionalPem,
    tlsKey: optionalPem,
    sshKey: optionalPem,
    /** Required for ssh://: the server's host key, checked on every connection. */
    hostKeyFingerprint: optionalFingerprint,
    /** Allows plain tcp:// to a non-loopback address; stored and shown as a badge. */
    insecure: z.boolean().optional(),
  })
  .strict()
  .superRefine((h, ctx) => {
    const tls = [h.tlsCa, h.tlsCert, h.tlsKey].filter(Boolean).length;
    if (tls > 0 && !h.url.startsWith("tcp://")) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "TLS certificates need a tcp:// url" });
    }
    if ((h.tlsCert && !h.tlsKey) || (!h.tlsCert && h.tlsKey)) {
      ctx.addIssue({ code: "custom", path: ["tlsKey"], message: "a client certificate and its key go together" });
    }
    if (h.sshKey && !h.url.startsWith("ssh://")) {
      ctx.addIssue({ code: "custom", path: ["sshKey"], message: "an SSH key needs an ssh:// url" });
    }
    if (h.url.startsWith("ssh://") && !h.hostKeyFingerprint) {
      ctx.addIssue({
        code: "custom",
        path: ["hostKeyFingerprint"],
        message: `an ssh:// host needs its host key fingerprint (${HOST_KEY_HINT}); "Fetch host key" on the hosts page reads it for you to confirm`,
      });
    }
    if (h.hostKeyFingerprint && !h.url.startsWith("ssh://")) {
      ctx.addIssue({ code: "custom", path: ["hostKeyFingerprint"], message: "a host key fingerprint needs an ssh:// url" });
    }
    if (isPlainRemoteTcp(h) && h.insecure !== true) {
      ctx.addIssue({ code: "custom", path: ["insecure"], message: PLAIN_TCP_REFUSED });
    }
  });
export type HostInput = z.infer<typeof HostInput>;

/** PATCH: every field optional; omitted key material is kept, "" removes it. */
export const HostPatch = z
  .object({
    name: HostName.optional(),
    url: HostUrl.optional(),
    tlsCa: optionalPem.nullable(),
    tlsCert: optionalPem.nullable(),
    tlsKey: optionalPem.nullable(),
    sshKey: optionalPem.nullable(),
    hostKeyFingerprint: optionalFingerprint.nullable(),
    insecure: z.boolean().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, "nothing to change: send at least one field");
export type HostPatch = z.infer<typeof HostPatch>;

/** POST /api/hosts/host-key: read an SSH server's host key before trusting it (nothing is stored). */
export const HostKeyRequest = z
  .object({
    url: HostUrl.refine((s) => s.startsWith("ssh://"), "url must be an ssh:// url"),
  })
  .strict();
export type HostKeyRequest = z.infer<typeof HostKeyRequest>;
