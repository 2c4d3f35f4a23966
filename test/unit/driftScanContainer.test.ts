import { describe, expect, it } from "vitest";
import type Docker from "dockerode";
import { scanContainer, Vanished, type ScanClients } from "@/server/drift/scanContainer";
import type { Accounting, EngineContainer } from "@/server/drift/accountContainers";

const gone = () => Promise.reject(Object.assign(new Error("no such container"), { statusCode: 404 }));
const c: EngineContainer = { Id: "a".repeat(64), Names: ["/x"], Image: "img", State: "running", Labels: {} };
const acc: Accounting = { row: null, release: null, serviceName: null, accounted: false, quarantined: true, note: "quarantined" };
const inspect = {
  Name: "/x",
  Image: "sha256:1",
  Config: { Image: "img", Env: [], Labels: {} },
  HostConfig: { NetworkMode: "none" },
  Mounts: [],
};

function clients(container: Partial<Record<"inspect" | "changes", () => Promise<unknown>>>): ScanClients {
  const docker = { getContainer: () => container, getImage: () => ({ inspect: gone }) } as unknown as Docker;
  return { docker, slow: docker, timeoutMs: 1000, changesTimeoutMs: 200, images: new Map(), tag: async () => null };
}

describe("scanning one container", () => {
  it("a container that vanishes mid-scan is reported as Vanished (the host scan skips it with a note)", async () => {
    await expect(scanContainer(clients({ inspect: gone }), c, acc)).rejects.toBeInstanceOf(Vanished);
    await expect(scanContainer(clients({ inspect: async () => inspect, changes: gone }), c, acc)).rejects.toThrow(
      /vanished before its changes/,
    );
  });

  it("a changes call that times out leaves the result incomplete with the reason, not the whole scan failed", async () => {
    const r = await scanContainer(clients({ inspect: async () => inspect, changes: () => new Promise(() => undefined) }), c, acc);
    expect(r).toMatchObject({ incomplete: true, changes: [], note: expect.stringContaining("no answer within 200 ms") });
  });

  it("reads the engine's `null` (no changes), which dockerode hands over as a raw body", async () => {
    const r = await scanContainer(clients({ inspect: async () => inspect, changes: async () => Buffer.from("null\n") }), c, acc);
    expect(r).toMatchObject({ incomplete: false, changes: [] });
  });

  it("reads and normalises the changes", async () => {
    const r = await scanContainer(
      clients({
        inspect: async () => inspect,
        changes: async () => [
          { Path: "/tmp", Kind: 0 },
          { Path: "/tmp/x", Kind: 1 },
        ],
      }),
      c,
      acc,
    );
    expect(r).toMatchObject({ incomplete: false, changes: [[1, "/tmp/x"]] });
  });
});
