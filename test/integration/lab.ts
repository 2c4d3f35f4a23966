/**
 * The real lab (scripts/lab/up.sh) as seen by integration tests: engines,
 * registry and HAProxy from .lab/lab.json. Each test file gets its own
 * throw-away data directory; set it before importing any server module.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";

export type Lab = {
  labDir: string;
  hosts: { name: string; url: string; tls?: { ca: string; cert: string; key: string } }[];
  registry: string;
  haproxy: { adminSocket: string; frontends: Record<string, string> };
  /** Per image and tag: its digest reference in the lab registry (`registry/name@sha256:...`). */
  images: Record<string, Record<string, string>>;
  imageInfo: Record<string, Record<string, { tag: string; ref: string; imageId: string; healthy: boolean }>>;
  /** The lab sshd (scripts/lab/sshd.sh): Docker over SSH to alpha. */
  ssh?: { url: string; privateKey: string; hostKeyFingerprint: string; port: number };
};

export function lab(): Lab {
  const file = path.resolve(process.env.LAB_DIR ?? ".lab", "lab.json");
  if (!fs.existsSync(file)) throw new Error(`${file} missing: start the lab with scripts/lab/up.sh`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as Lab;
}

let dataDirInUse: string | null = null;

export function useTempDataDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `switchyard-${prefix}-`));
  process.env.SWITCHYARD_DATA_DIR = dir;
  process.env.SWITCHYARD_HAPROXY_SOCKET = lab().haproxy.adminSocket;
  dataDirInUse = dir;
  return dir;
}

/** The data directory useTempDataDir set for this test file; throws before it is set (server modules would open ./data). */
export function tempDataDir(): string {
  if (!dataDirInUse) throw new Error("call useTempDataDir() before loading server modules (import them with `await import(...)` after it)");
  return dataDirInUse;
}

export function hostInput(name: "alpha" | "beta") {
  const h = lab().hosts.find((x) => x.name === name);
  if (!h) throw new Error(`lab has no host ${name}`);
  return {
    name: h.name,
    url: h.url,
    ...(h.tls
      ? {
          tlsCa: fs.readFileSync(h.tls.ca, "utf8"),
          tlsCert: fs.readFileSync(h.tls.cert, "utf8"),
          tlsKey: fs.readFileSync(h.tls.key, "utf8"),
        }
      : {}),
  };
}

/** A dockerode client straight to a lab engine (for arranging and checking, not through Switchyard). */
export function labDocker(name: "alpha" | "beta"): Docker {
  const h = hostInput(name);
  if (h.url.startsWith("unix://")) return new Docker({ socketPath: h.url.slice(7) });
  const u = new URL(h.url);
  return new Docker({ protocol: "https", host: u.hostname, port: Number(u.port), ca: h.tlsCa, cert: h.tlsCert, key: h.tlsKey });
}

export const system = { userId: 0, username: "integration-test", role: "admin" as const, via: "session" as const, ip: "127.0.0.1" };
