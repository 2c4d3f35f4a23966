/**
 * Issue 9, item 5: SSH hosts pin their host key; plain tcp:// leaves the machine
 * only when an admin says so. The input rules, the fingerprint and the error a
 * mismatch turns into.
 */
import { describe, expect, it } from "vitest";
import { HostInput, HostKeyRequest, HostPatch, isPlainRemoteTcp } from "@/server/hosts/hostInput";
import { HOST_DENIED, hostKeyFingerprint, hostKeyPin, hostKeyType } from "@/server/hosts/hostKeyFingerprint";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
const KEY = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----";
/** A real ed25519 public key and what `ssh-keygen -lf` printed for it. */
const ED25519_PUB = "AAAAC3NzaC1lZDI1NTE5AAAAIHpGiFFSM8V1WQinasy4vLOXpipZQpeZ0kzwBZfiCWbH";
const ED25519_FP = "SHA256:NFvPbP4I9dNIIbunbfp+V5lMInoZlkb7rEPvkuErgQE";

function issues(input: unknown): string {
  const r = HostInput.safeParse(input);
  return r.success ? "" : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
}

describe("ssh:// hosts need their host key fingerprint", () => {
  it("refuses an ssh host without a fingerprint, and says how to get one", () => {
    const msg = issues({ name: "edge", url: "ssh://root@10.0.0.9:22" });
    expect(msg).toMatch(/^hostKeyFingerprint: an ssh:\/\/ host needs its host key fingerprint/);
    expect(msg).toContain("ssh-keyscan");
  });

  it.each([
    ["MD5 form", "MD5:4e:ff:1a:00:00:00:00:00:00:00:00:00:00:00:00:00"],
    ["no prefix", ED25519_FP.slice("SHA256:".length)],
    ["with = padding", `${ED25519_FP}=`],
    ["too short", ED25519_FP.slice(0, -1)],
    ["not base64", `SHA256:${"!".repeat(43)}`],
    ["the whole ssh-keygen line", `256 ${ED25519_FP} 127.0.0.1 (ED25519)`],
  ])("refuses a fingerprint in the wrong format (%s)", (_what, fp) => {
    expect(issues({ name: "edge", url: "ssh://root@10.0.0.9", hostKeyFingerprint: fp })).toMatch(
      /hostKeyFingerprint: hostKeyFingerprint must be an SSH host key fingerprint: SHA256:/,
    );
  });

  it("accepts an ssh host with a SHA256 fingerprint", () => {
    expect(issues({ name: "edge", url: "ssh://root@10.0.0.9:2222", hostKeyFingerprint: ED25519_FP })).toBe("");
    expect(issues({ name: "edge", url: "ssh://root@10.0.0.9:2222", hostKeyFingerprint: ` ${ED25519_FP}\n` })).toBe("");
  });

  it("refuses a fingerprint on a host that is not ssh://", () => {
    expect(issues({ name: "edge", url: "unix:///var/run/docker.sock", hostKeyFingerprint: ED25519_FP })).toContain("needs an ssh:// url");
  });

  it("checks the fingerprint format on PATCH too, and the host-key request takes only ssh:// urls", () => {
    expect(HostPatch.safeParse({ hostKeyFingerprint: "SHA256:short" }).success).toBe(false);
    expect(HostPatch.safeParse({ hostKeyFingerprint: ED25519_FP }).success).toBe(true);
    expect(HostKeyRequest.safeParse({ url: "tcp://10.0.0.9:2376" }).success).toBe(false);
    expect(HostKeyRequest.safeParse({ url: "ssh://root@10.0.0.9" }).success).toBe(true);
  });
});

describe("plain tcp:// without TLS", () => {
  it("is refused to a non-loopback address, with what to do instead", () => {
    for (const url of ["tcp://10.0.0.5:2375", "tcp://docker.example.com:2375", "tcp://[fd00::5]:2375", "tcp://128.0.0.1:2375"]) {
      const msg = issues({ name: "edge", url });
      expect(msg, url).toMatch(/^insecure: plain tcp:\/\/ without TLS to a non-loopback address is refused/);
      expect(msg).toContain("insecure: true");
    }
    expect(issues({ name: "edge", url: "tcp://10.0.0.5:2375", insecure: false })).toMatch(/^insecure: /);
  });

  it("is accepted with the explicit insecure flag", () => {
    expect(issues({ name: "edge", url: "tcp://10.0.0.5:2375", insecure: true })).toBe("");
  });

  it("is accepted on loopback without the flag", () => {
    for (const url of [
      "tcp://127.0.0.1:2375",
      "tcp://127.8.9.10:2375",
      "tcp://localhost:2375",
      "tcp://LOCALHOST:2375",
      "tcp://[::1]:2375",
    ]) {
      expect(issues({ name: "edge", url }), url).toBe("");
    }
  });

  it("is not what tcp:// with TLS is: accepted anywhere without the flag", () => {
    expect(issues({ name: "edge", url: "tcp://10.0.0.5:2376", tlsCa: PEM, tlsCert: PEM, tlsKey: KEY })).toBe("");
    expect(issues({ name: "edge", url: "tcp://10.0.0.5:2376", tlsCa: PEM })).toBe("");
    expect(isPlainRemoteTcp({ url: "tcp://10.0.0.5:2376", tlsCa: PEM })).toBe(false);
    expect(isPlainRemoteTcp({ url: "tcp://10.0.0.5:2375" })).toBe(true);
    expect(isPlainRemoteTcp({ url: "ssh://root@10.0.0.5" })).toBe(false);
  });

  it("rejects a non-boolean insecure flag", () => {
    expect(issues({ name: "edge", url: "tcp://10.0.0.5:2375", insecure: "yes" })).toMatch(/^insecure: /);
  });
});

describe("host key fingerprint and mismatch message", () => {
  const key = Buffer.from(ED25519_PUB, "base64");

  it("matches what ssh-keygen -lf prints", () => {
    expect(hostKeyFingerprint(key)).toBe(ED25519_FP);
    expect(hostKeyType(key)).toBe("ssh-ed25519");
  });

  it("lets the pinned key through and refuses any other", () => {
    expect(hostKeyPin(ED25519_FP).verify(key)).toBe(true);
    expect(hostKeyPin(`SHA256:${"A".repeat(43)}`).verify(key)).toBe(false);
    expect(hostKeyPin(null).verify(key)).toBe(false);
  });

  it("turns ssh2's 'Host denied' into a message naming both keys", () => {
    const other = `SHA256:${"A".repeat(43)}`;
    const pin = hostKeyPin(other);
    pin.verify(key);
    expect(pin.explain(new Error(HOST_DENIED)).message).toBe(`host key mismatch: expected ${other}, got ${ED25519_FP}`);
    const unpinned = hostKeyPin(null);
    unpinned.verify(key);
    expect(unpinned.explain(new Error(HOST_DENIED)).message).toMatch(/^no SSH host key pinned for this host \(it presents SHA256:NFvP/);
    const refused = new Error("connect ECONNREFUSED 127.0.0.1:1");
    expect(pin.explain(refused)).toBe(refused);
  });
});
