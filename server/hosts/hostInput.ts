/** Shared by the API and the host form: zod only, no server imports. */
import { z } from "zod";

const PEM = z
  .string()
  .trim()
  .refine((s) => /-----BEGIN [A-Z ]+-----[\s\S]+-----END [A-Z ]+-----/.test(s), "must be a PEM block (-----BEGIN ...-----)");

const optionalPem = z.union([PEM, z.literal("").transform(() => undefined)]).optional();

export const HOST_URL_HINT = "unix:///var/run/docker.sock, tcp://10.0.0.5:2376 or ssh://user@host[:22]";

export const HostUrl = z
  .string()
  .trim()
  .min(1, "url is required")
  .max(500)
  .refine((s) => {
    if (s.startsWith("unix:///")) return s.length > 8;
    const m = /^(tcp|ssh):\/\/(?:([^@/\s]+)@)?([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/.exec(s);
    if (!m) return false;
    if (m[1] === "tcp" && !m[4]) return false;
    return !m[4] || (Number(m[4]) > 0 && Number(m[4]) < 65536);
  }, `url must look like ${HOST_URL_HINT}`);

export const HostName = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/i, "name: 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");

export const HostInput = z
  .object({
    name: HostName,
    url: HostUrl,
    tlsCa: optionalPem,
    tlsCert: optionalPem,
    tlsKey: optionalPem,
    sshKey: optionalPem,
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
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, "nothing to change: send at least one field");
export type HostPatch = z.infer<typeof HostPatch>;
