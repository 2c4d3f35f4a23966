import { afterAll, beforeAll, describe, expect, it } from "vitest";
import net from "node:net";
import { hostInput, labDocker, system, useTempDataDir } from "./lab";

useTempDataDir("hosts");

const { createHost } = await import("@/server/hosts/createHost");
const { hostRowByName } = await import("@/server/hosts/hostRegistry");
const { probeHost } = await import("@/server/hosts/probeHost");
const { hostContainers } = await import("@/server/fleet/hostContainers");
const { fleetOverview } = await import("@/server/fleet/fleetOverview");

const NAME = `it-hosts-${process.pid}`;
let blackHole: net.Server;
let blackHolePort = 0;

beforeAll(async () => {
  createHost(null, hostInput("alpha"));
  createHost(null, hostInput("beta"));
  // A TCP server that accepts and never answers: a hung engine.
  blackHole = net.createServer(() => undefined);
  await new Promise<void>((r) => blackHole.listen(0, "127.0.0.1", r));
  blackHolePort = (blackHole.address() as net.AddressInfo).port;
  for (const engine of ["alpha", "beta"] as const) {
    const d = labDocker(engine);
    await d
      .getContainer(NAME)
      .remove({ force: true })
      .catch(() => undefined);
  }
});

afterAll(async () => {
  blackHole?.close();
  for (const engine of ["alpha", "beta"] as const)
    await labDocker(engine)
      .getContainer(NAME)
      .remove({ force: true })
      .catch(() => undefined);
});

describe("host registry against the real lab engines", () => {
  it("reads engine facts over a Unix socket (alpha) and TCP with TLS client certificates (beta)", async () => {
    for (const name of ["alpha", "beta"]) {
      const s = await probeHost(hostRowByName(name));
      expect(s.reachable, JSON.stringify(s)).toBe(true);
      if (!s.reachable) continue;
      expect(s.engine.engineVersion).toMatch(/^\d+\.\d+/);
      expect(s.engine.storageDriver).toBe("overlay2");
      expect(s.engine.kernel.length).toBeGreaterThan(0);
    }
    expect(hostRowByName("beta").lastSeenAt).not.toBeNull();
  });

  it("lists a container created on the engine, with its image and labels", async () => {
    const d = labDocker("beta");
    const image = (await d.listImages()).find((i) => (i.RepoDigests ?? []).some((r) => r.includes("demo-web")));
    const ref =
      image?.RepoDigests?.[0] ??
      (await labDocker("alpha").listImages()).flatMap((i) => i.RepoDigests ?? []).find((r) => r.includes("demo-web"))!;
    await new Promise<void>((resolve, reject) =>
      d.pull(ref, (err: Error | null, stream: NodeJS.ReadableStream) =>
        err ? reject(err) : d.modem.followProgress(stream, (e) => (e ? reject(e) : resolve())),
      ),
    );
    await d.createContainer({ name: NAME, Image: ref, Labels: { team: "integration" }, HostConfig: { NetworkMode: "none" } });
    const result = await hostContainers(hostRowByName("beta").id);
    expect(result.reachable).toBe(true);
    if (!result.reachable) return;
    const mine = result.containers.find((c) => c.name === NAME);
    expect(mine).toMatchObject({ state: "created", labels: { team: "integration" } });
    expect(mine?.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("shows a missing socket, a refused port, a bad certificate and a hung engine as unreachable with the reason", async () => {
    createHost(system, { name: "gone", url: "unix:///tmp/switchyard-no-such.sock" });
    createHost(system, { name: "refused", url: "tcp://127.0.0.1:1" });
    const beta = hostInput("beta");
    createHost(system, { ...beta, name: "wrong-ca", tlsCa: hostInput("beta").tlsCert });
    createHost(system, { name: "hung", url: `tcp://127.0.0.1:${blackHolePort}` });
    const started = Date.now();
    const fleet = await fleetOverview();
    const elapsed = Date.now() - started;
    const by = Object.fromEntries(fleet.map((h) => [h.name, h.status]));
    expect(by.alpha?.reachable).toBe(true);
    expect(by.beta?.reachable).toBe(true);
    expect(by.gone).toMatchObject({ reachable: false, error: expect.stringContaining("socket not found") });
    expect(by.refused).toMatchObject({ reachable: false, error: expect.stringContaining("refused") });
    expect(by["wrong-ca"]).toMatchObject({ reachable: false });
    expect(by.hung).toMatchObject({ reachable: false });
    // Hosts are probed in parallel: one hung engine costs one timeout, not one per host.
    expect(elapsed).toBeLessThan(2 * 3000);
    expect(hostRowByName("gone").lastError).toContain("socket not found");
  });
});
