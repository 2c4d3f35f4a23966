/**
 * Container hardening against the real lab: a release of `cap-web` on alpha
 * (behind the lab HAProxy's `it-web` backend, which releaseFlow also uses;
 * integration files run one at a time) starts with every capability dropped,
 * no-new-privileges and a pids limit, and still passes its health gate; the
 * settings are pinned in the release (a replay gets them back exactly); and
 * the drift scan reports a container of the release that runs without them.
 */
import fs from "node:fs";
import { eq } from "drizzle-orm";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostInput, lab, labDocker, system, useTempDataDir, type Lab } from "./lab";
import { get, removeContainersNamed } from "./releaseLab";

const dataDir = useTempDataDir("hardening");

const { db } = await import("@/db/client");
const { releaseContainers } = await import("@/db/schema");
const { createHost } = await import("@/server/hosts/createHost");
const { createService, updateService } = await import("@/server/services/saveService");
const { serviceByName, specOf } = await import("@/server/services/serviceRows");
const { deployRelease } = await import("@/server/releases/deployRelease");
const { releaseByNumber, activeContainersOf } = await import("@/server/releases/releaseRows");
const { containerCreateOptions } = await import("@/server/releases/containerConfig");
const { operationWithSteps } = await import("@/server/operations/operationLog");
const { applyBackend } = await import("@/server/haproxy/applyBackend");
const { startScan } = await import("@/server/drift/runScan");
const { scanRow } = await import("@/server/drift/scanRows");
const { fleetReport } = await import("@/server/drift/driftReport");
const { containerDetail } = await import("@/server/drift/containerDetail");

const L = lab() as Lab;
const SERVICE = "cap-web";
const BACKEND = "it-web";
const SOCKET = L.haproxy.adminSocket;
const alpha = labDocker("alpha");

const rel = (n: number) => releaseByNumber(serviceByName(SERVICE).id, n);
const containersOf = (n: number) => activeContainersOf([rel(n).id]).map((x) => x.container);

async function deploy(input: { image?: string; replayRelease?: number }) {
  const { operationId, done } = deployRelease(system, SERVICE, "deploy", input);
  await done;
  const op = operationWithSteps(operationId)!;
  expect(op.status, JSON.stringify(op.steps)).toBe("succeeded");
}

type HardeningView = {
  CapDrop?: string[] | null;
  CapAdd?: string[] | null;
  SecurityOpt?: string[] | null;
  PidsLimit?: number | null;
  Privileged?: boolean;
};
async function hostConfigOf(dockerId: string): Promise<HardeningView> {
  return (await alpha.getContainer(dockerId).inspect()).HostConfig as HardeningView;
}

async function scan() {
  const { scan, done } = startScan("manual", system);
  await done;
  expect(scanRow(scan.id)).toMatchObject({ status: "done", error: null });
}

/** The scan's verdict and (non-informational) finding keys for one container. */
function drift(name: string) {
  const detail = containerDetail("alpha", name);
  return { verdict: detail.container.verdict, findings: detail.findings.filter((f) => !f.info) };
}

async function cleanUp() {
  await removeContainersNamed(`${SERVICE}-r`);
  await applyBackend(SOCKET, BACKEND, []);
}

beforeAll(async () => {
  await cleanUp();
  createHost(system, hostInput("alpha"));
  createService(system, {
    name: SERVICE,
    image: `${L.registry}/demo-web`,
    placement: [{ host: "alpha", replicas: 1 }],
    healthCheck: { path: "/health", expectStatus: 200, intervalMs: 300, timeoutMs: 1000, healthyAfter: 2, gateTimeoutS: 10 },
    haproxy: { backend: BACKEND },
  });
});

afterAll(async () => {
  await cleanUp().catch((err) => console.error("[containerHardening] clean-up failed:", err));
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("container hardening against the real lab", () => {
  it("a release container runs with CapDrop ALL, no-new-privileges and a pids limit, passes its health gate and scans clean", async () => {
    await deploy({ image: "1.0.0" });
    expect(rel(1).status).toBe("live");
    const [c] = containersOf(1);
    const hc = await hostConfigOf(c!.dockerId!);
    expect(hc.CapDrop).toEqual(["ALL"]);
    expect(hc.CapAdd ?? []).toEqual([]);
    expect(hc.SecurityOpt).toEqual(["no-new-privileges"]);
    expect(hc.PidsLimit).toBe(256);
    expect(hc.Privileged).toBe(false);
    expect(await get(`http://127.0.0.1:${c!.port}/health`)).toMatchObject({ status: 200, body: "ok" });
    expect(JSON.parse(rel(1).spec)).toMatchObject({ netBindService: false, limits: { pids: 256 } });
    await scan();
    expect(drift(c!.name)).toEqual({ verdict: "clean", findings: [] });
  });

  it("NET_BIND_SERVICE and the pids limit come from the spec the release pinned: a replay of release 1 gets release 1's settings back", async () => {
    updateService(system, SERVICE, { ...specOf(serviceByName(SERVICE)), netBindService: true, limits: { pids: 128 } });
    await deploy({ image: "1.1.0" });
    const [r2] = containersOf(2);
    const hc2 = await hostConfigOf(r2!.dockerId!);
    expect(hc2.CapDrop).toEqual(["ALL"]);
    expect(hc2.CapAdd).toEqual(["NET_BIND_SERVICE"]); // as sent (the docker CLI sends CAP_NET_BIND_SERVICE: drift reads both as one)
    expect(hc2.PidsLimit).toBe(128);
    await scan();
    expect(drift(r2!.name)).toEqual({ verdict: "clean", findings: [] });

    await deploy({ replayRelease: 1 });
    expect(specOf(rel(3))).toMatchObject({ netBindService: false, limits: { pids: 256 } });
    const [r3] = containersOf(3);
    const hc3 = await hostConfigOf(r3!.dockerId!);
    expect(hc3.CapAdd ?? []).toEqual([]);
    expect(hc3.PidsLimit).toBe(256);
    expect(hc3.SecurityOpt).toEqual(["no-new-privileges"]);
  });

  it("a pids limit changed in place (docker update) is config drift", async () => {
    const [c] = containersOf(1);
    await alpha.getContainer(c!.dockerId!).update({ PidsLimit: 4096 });
    await scan();
    expect(drift(c!.name)).toMatchObject({
      verdict: "drifted",
      findings: [{ key: "config:limits:pids", message: "pids limit differs", expected: "256", actual: "4096" }],
    });
  });

  it("the release's container started by hand with the same name, labels and env but without the hardening is config drift, with clear labels", async () => {
    const [c] = containersOf(1);
    const spec = specOf(rel(1));
    const opts = containerCreateOptions(spec, rel(1), rel(1).imageDigest!, c!.slot, c!.name, c!.port);
    // What an older Switchyard, or someone recreating it with `docker run`, would run: no CapDrop, no SecurityOpt, no PidsLimit, one capability more.
    const { CapDrop: _drop, SecurityOpt: _opt, PidsLimit: _pids, ...plain } = opts.HostConfig!;
    const byHand: Docker.ContainerCreateOptions = { ...opts, HostConfig: { ...plain, CapAdd: ["NET_RAW"] } };
    await alpha.getContainer(c!.dockerId!).remove({ force: true });
    const started = await alpha.createContainer(byHand);
    await started.start();
    // Recorded as the release's container (as a deploy records the ID it created), so the scan compares it with the release.
    db().update(releaseContainers).set({ dockerId: started.id }).where(eq(releaseContainers.id, c!.id)).run();
    expect(await get(`http://127.0.0.1:${c!.port}/health`)).toMatchObject({ status: 200 });

    await scan();
    const found = drift(c!.name);
    expect(found.verdict).toBe("drifted");
    expect(found.findings.map((f) => f.key).sort()).toEqual([
      "config:limits:pids",
      "config:privileges:capAdd",
      "config:privileges:capDrop",
      "config:privileges:securityOpt",
    ]);
    const by = (key: string) => found.findings.find((f) => f.key === key);
    expect(by("config:privileges:capDrop")).toMatchObject({
      message: "capabilities not dropped: the release drops ALL",
      expected: '["ALL"]',
      actual: "[]",
    });
    expect(by("config:privileges:capAdd")?.message).toBe("capabilities added that the release does not grant: NET_RAW");
    expect(by("config:privileges:securityOpt")?.message).toMatch(/^no-new-privileges is off/);
    expect(by("config:limits:pids")).toMatchObject({ expected: "256", actual: "unlimited" });
    const row = fleetReport()
      .hosts.find((h) => h.host === "alpha")!
      .containers.find((x) => x.name === c!.name);
    expect(row).toMatchObject({ verdict: "drifted", counts: { config: 4 } });
  });
});
