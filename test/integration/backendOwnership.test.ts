/**
 * Issue 9, item 1, against the real lab HAProxy (backends it-web / it-web-preview):
 *  (a) a spec naming another service's backend is refused with 409 naming the owner;
 *  (b) deploy, switch, reconcile and retire never touch servers Switchyard did
 *      not add: one added by hand with a foreign name, one named like
 *      Switchyard's (`r99-alpha-1`) but recorded for no service. Both are
 *      added with the runtime API here and removed at the end.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostInput, lab, system, useTempDataDir } from "./lab";
import { removeContainersNamed } from "./releaseLab";

const dataDir = useTempDataDir("backend-ownership");

const { db } = await import("@/db/client");
const { errorResponse } = await import("@/server/http/errorResponse");
const { createHost } = await import("@/server/hosts/createHost");
const { createService, updateService } = await import("@/server/services/saveService");
const { serviceByName } = await import("@/server/services/serviceRows");
const { deployRelease } = await import("@/server/releases/deployRelease");
const { switchTraffic } = await import("@/server/releases/switchTraffic");
const { retireStandby } = await import("@/server/releases/retireStandby");
const { releaseByNumber } = await import("@/server/releases/releaseRows");
const { operationWithSteps } = await import("@/server/operations/operationLog");
const { reconcileRouting } = await import("@/server/routing/reconcileRouting");
const { applyBackend } = await import("@/server/haproxy/applyBackend");
const { backendServers } = await import("@/server/haproxy/serverState");
const { haproxyCommand } = await import("@/server/haproxy/runtimeApi");

const L = lab();
const SERVICE = "it-own";
const BACKEND = "it-web";
const PREVIEW_BACKEND = "it-web-preview";
const SOCKET = L.haproxy.adminSocket;
const FOREIGN = ["someone-elses-app", "r99-alpha-1"];
// Nothing listens there and the servers have no check: HAProxy keeps whatever state this file gives them.
const FOREIGN_PORT = 9;

const spec = (name: string, haproxy: { backend: string; previewBackend?: string }) => ({
  name,
  image: `${L.registry}/demo-web`,
  placement: [{ host: "alpha", replicas: 1 }],
  healthCheck: { path: "/health", expectStatus: 200, intervalMs: 300, timeoutMs: 1000, healthyAfter: 2, gateTimeoutS: 20 },
  haproxy,
});

/** The HTTP answer the API would give for what `run` throws. */
async function answerOf(run: () => unknown): Promise<{ status: number; message: string }> {
  try {
    await run();
  } catch (err) {
    const res = errorResponse(err);
    return { status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message };
  }
  throw new Error("expected the call to be refused; it succeeded");
}

async function deploy(image: string) {
  const { operationId, done } = deployRelease(system, SERVICE, "deploy", { image });
  await done;
  return operationWithSteps(operationId)!;
}

async function foreignServers(backend: string) {
  return (await backendServers(SOCKET, backend))
    .filter((s) => FOREIGN.includes(s.name))
    .map(({ name, address, port, weight, adminState }) => ({ name, address, port, weight, adminState }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function command(c: string) {
  const reply = await haproxyCommand(SOCKET, c);
  if (reply !== "" && reply !== "New server registered." && reply !== "Server deleted.") throw new Error(`${c}: ${reply}`);
}

async function removeForeign() {
  for (const backend of [BACKEND, PREVIEW_BACKEND]) {
    for (const name of FOREIGN) {
      if (!(await backendServers(SOCKET, backend)).some((s) => s.name === name)) continue;
      await command(`set server ${backend}/${name} state maint`);
      await command(`del server ${backend}/${name}`);
    }
  }
}

async function cleanUp() {
  await removeForeign();
  await removeContainersNamed(`${SERVICE}-r`);
  await applyBackend(SOCKET, BACKEND, []);
  await applyBackend(SOCKET, PREVIEW_BACKEND, []);
}

beforeAll(async () => {
  await cleanUp();
  createHost(system, hostInput("alpha"));
  createService(system, spec(SERVICE, { backend: BACKEND, previewBackend: PREVIEW_BACKEND }));
});

afterAll(async () => {
  await cleanUp().catch((err) => console.error("[backendOwnership] clean-up failed:", err));
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("a backend belongs to one service", () => {
  it("(a) a spec naming another service's backend gets 409 naming the owner", async () => {
    const create = await answerOf(() => createService(system, spec("it-thief", { backend: PREVIEW_BACKEND })));
    expect(create).toEqual({ status: 409, message: expect.stringMatching(/'it-web-preview' belongs to service 'it-own'/) });
    createService(system, spec("it-thief", { backend: "it-thief-be" }));
    const update = await answerOf(() =>
      updateService(system, "it-thief", spec("it-thief", { backend: "it-thief-be", previewBackend: BACKEND })),
    );
    expect(update).toEqual({ status: 409, message: expect.stringMatching(/'it-web' belongs to service 'it-own' \(its live backend\)/) });
    expect(JSON.parse(serviceByName("it-thief").spec).haproxy).toEqual({ backend: "it-thief-be" });
  });

  it("(b) deploy, switch, reconcile and retire leave servers Switchyard did not add as they were", async () => {
    for (const backend of [BACKEND, PREVIEW_BACKEND]) {
      for (const name of FOREIGN) {
        await command(`add server ${backend}/${name} 127.0.0.1:${FOREIGN_PORT} weight 7`);
        await command(`set server ${backend}/${name} state drain`);
      }
    }
    const before = { live: await foreignServers(BACKEND), preview: await foreignServers(PREVIEW_BACKEND) };
    expect(before.live.map((s) => [s.name, s.weight, s.adminState])).toEqual([
      ["r99-alpha-1", 7, "drain"],
      ["someone-elses-app", 7, "drain"],
    ]);

    expect((await deploy("1.0.0")).status).toBe("succeeded"); // first release: live
    expect((await deploy("1.1.0")).status).toBe("succeeded"); // candidate, in the preview backend
    const id = serviceByName(SERVICE).id;
    expect(releaseByNumber(id, 2).status).toBe("candidate");
    await switchTraffic(system, SERVICE, "switch");
    expect(releaseByNumber(id, 2).status).toBe("live");
    await reconcileRouting();
    await retireStandby(system, SERVICE);
    expect(releaseByNumber(id, 1).status).toBe("retired");
    await reconcileRouting();

    // Switchyard's own servers came and went as usual ...
    const ours = (await backendServers(SOCKET, BACKEND)).map((s) => s.name).filter((n) => !FOREIGN.includes(n));
    expect(ours).toEqual(["r2-alpha-1"]);
    // ... and the foreign ones are exactly as they were: not deleted, drained, weighted or readied.
    expect(await foreignServers(BACKEND)).toEqual(before.live);
    expect(await foreignServers(PREVIEW_BACKEND)).toEqual(before.preview);
  });
});
