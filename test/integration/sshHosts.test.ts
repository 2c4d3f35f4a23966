/**
 * Docker over SSH against the lab's real sshd (scripts/lab/sshd.sh, forced to
 * alpha's engine): the pinned host key is checked on every connection, a wrong
 * one makes the host unreachable with both fingerprints named, and the first-use
 * fetch reads the lab's fingerprint without storing anything.
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { lab, system, useTempDataDir } from "./lab";

useTempDataDir("ssh-hosts");

const { db } = await import("@/db/client");
const { hosts, events } = await import("@/db/schema");
const { createHost } = await import("@/server/hosts/createHost");
const { hostRowByName, dockerForHost } = await import("@/server/hosts/hostRegistry");
const { probeHost } = await import("@/server/hosts/probeHost");
const { fleetOverview } = await import("@/server/fleet/fleetOverview");
const { fetchHostKey } = await import("@/server/hosts/fetchHostKey");

const ssh = lab().ssh;
if (!ssh) throw new Error("lab.json has no ssh entry: run scripts/lab/sshd.sh up (up.sh does)");
const privateKey = fs.readFileSync(ssh.privateKey, "utf8");
const WRONG = `SHA256:${"A".repeat(43)}`;

describe("ssh:// hosts against the lab sshd", () => {
  it("reaches the engine when the server presents the pinned host key", async () => {
    createHost(system, { name: "ssh-pinned", url: ssh.url, sshKey: privateKey, hostKeyFingerprint: ssh.hostKeyFingerprint });
    const host = hostRowByName("ssh-pinned");
    const version = await dockerForHost(host).version();
    expect(version.Version).toMatch(/^\d+\.\d+/);
    const status = await probeHost(host);
    expect(status, JSON.stringify(status)).toMatchObject({ reachable: true });
  });

  it("is unreachable with 'host key mismatch: expected X, got Y' when the key differs", async () => {
    createHost(system, { name: "ssh-wrong-key", url: ssh.url, sshKey: privateKey, hostKeyFingerprint: WRONG });
    const host = hostRowByName("ssh-wrong-key");
    await expect(dockerForHost(host).version()).rejects.toThrow(`host key mismatch: expected ${WRONG}, got ${ssh.hostKeyFingerprint}`);
    const fleet = await fleetOverview();
    const status = fleet.find((h) => h.name === "ssh-wrong-key")?.status;
    expect(status).toMatchObject({ reachable: false, error: `host key mismatch: expected ${WRONG}, got ${ssh.hostKeyFingerprint}` });
    expect(fleet.find((h) => h.name === "ssh-pinned")?.status.reachable).toBe(true);
    expect(hostRowByName("ssh-wrong-key").lastError).toBe(`host key mismatch: expected ${WRONG}, got ${ssh.hostKeyFingerprint}`);
  });

  it("refuses every connection of an ssh host stored without a pinned key (from before the rule)", async () => {
    const now = new Date();
    db().insert(hosts).values({ name: "ssh-legacy", url: ssh.url, sshKey: privateKey, createdAt: now, updatedAt: now }).run();
    const status = await probeHost(hostRowByName("ssh-legacy"));
    expect(status).toMatchObject({
      reachable: false,
      error: expect.stringContaining(`no SSH host key pinned for this host (it presents ${ssh.hostKeyFingerprint})`),
    });
  });

  it("fetches the host key for an admin to confirm, storing nothing", async () => {
    const before = db().select().from(hosts).all();
    const found = await fetchHostKey(system, { url: ssh.url });
    expect(found).toEqual({ url: ssh.url, keyType: "ssh-ed25519", fingerprint: ssh.hostKeyFingerprint });
    expect(db().select().from(hosts).all()).toEqual(before);
    const logged = db()
      .select()
      .from(events)
      .all()
      .filter((e) => e.action === "host.fetch-host-key");
    expect(logged.at(-1)).toMatchObject({ actor: system.username, outcome: "ok" });
  });

  it("answers 503 with the reason when nothing listens", async () => {
    await expect(fetchHostKey(system, { url: "ssh://root@127.0.0.1:1" })).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringContaining("Could not read the host key of ssh://root@127.0.0.1:1"),
    });
  });
});
