/**
 * Routing always uses the service's CURRENT HAProxy backends, never the ones
 * stored in an older release's spec. Before the fix: service `alpha` deployed
 * on backend `x-be`; an admin moved alpha to `y-be` and gave `x-be` to a new
 * service `beta`; replaying, redeploying or rolling back alpha's release 1 put
 * alpha's servers into `x-be`, beta's backend.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { serviceSpec, startApi, type Credentials } from "./support/apiHarness";

const touchedBackends = vi.hoisted(() => ({ names: [] as string[] }));
vi.mock("@/server/haproxy/applyBackend", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/server/haproxy/applyBackend")>();
  return {
    ...real,
    applyBackend: (socket: string, backend: string, ...rest: unknown[]) => {
      touchedBackends.names.push(backend);
      return (real.applyBackend as (...a: unknown[]) => Promise<string[]>)(socket, backend, ...rest);
    },
  };
});

const api = await startApi("current-backends");
const fx = await api.seed();
const { createService, updateService } = await import("@/server/services/saveService");
const { serviceByName, specOf } = await import("@/server/services/serviceRows");
const { planRelease } = await import("@/server/releases/createRelease");
const { withCurrentRouting } = await import("@/server/routing/applyServiceRouting");
afterAll(() => api.close());

const admin: Credentials = { kind: "session", cookie: fx.sessions.admin };
const rootActor = api.actorOf(fx.users.admin, "admin");
const onX = { ...serviceSpec("alpha"), haproxy: { backend: "x-be", previewBackend: "x-preview" } };
const onY = { ...serviceSpec("alpha"), haproxy: { backend: "y-be", previewBackend: "y-preview" } };
const digest = "registry.test:5000/team/web@sha256:" + "a".repeat(64);

function insertRelease(serviceId: number, number: number, spec: object, status: "live" | "standby") {
  api
    .db()
    .insert(api.schema.releases)
    .values({
      serviceId,
      number,
      imageRef: "registry.test:5000/team/web:1",
      imageDigest: digest,
      spec: JSON.stringify(spec),
      status,
      createdBy: "admin",
      createdAt: new Date(),
    })
    .run();
}

// alpha's release 1 ran on x-be; alpha moved to y-be (release 2, live); beta now owns x-be.
createService(rootActor, onX);
const alphaId = serviceByName("alpha").id;
insertRelease(alphaId, 1, specOf(serviceByName("alpha")), "standby");
updateService(rootActor, "alpha", onY);
insertRelease(alphaId, 2, specOf(serviceByName("alpha")), "live");
createService(rootActor, { ...serviceSpec("beta"), haproxy: { backend: "x-be", previewBackend: "x-preview" } });

describe("routing follows the service's current backends", () => {
  it("replay and redeploy record the current backends, not the source release's", async () => {
    const replay = await planRelease(serviceByName("alpha"), "deploy", { replayRelease: 1 } as never);
    expect(replay.spec.haproxy).toEqual({ backend: "y-be", previewBackend: "y-preview" });
    expect(replay.pinned).toBe(digest);
    const redeploy = await planRelease(serviceByName("alpha"), "redeploy", null);
    expect(redeploy.spec.haproxy).toEqual({ backend: "y-be", previewBackend: "y-preview" });
  });

  it("routing with an old release's spec uses the service's current backends", () => {
    const release1 = api
      .db()
      .select()
      .from(api.schema.releases)
      .all()
      .find((r) => r.serviceId === alphaId && r.number === 1)!;
    expect(specOf(release1).haproxy?.backend).toBe("x-be");
    expect(withCurrentRouting(alphaId, specOf(release1)).haproxy).toEqual({ backend: "y-be", previewBackend: "y-preview" });
  });

  it("a rollback to release 1 applies routing to y-be, never to beta's x-be", async () => {
    touchedBackends.names = [];
    const res = await api.call("POST", "/api/services/{name}/rollback", { params: { name: "alpha" }, auth: admin });
    expect(res.status, res.text).toBe(200);
    expect(touchedBackends.names.length).toBeGreaterThan(0);
    expect(touchedBackends.names).not.toContain("x-be");
    expect(touchedBackends.names).not.toContain("x-preview");
    expect(touchedBackends.names).toContain("y-be");
  });
});
