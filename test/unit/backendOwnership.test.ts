/**
 * Issue 9, item 1: a backend belongs to exactly one service, and only an admin
 * (not limited to services) chooses a service's backends. Before the fix, a
 * token limited to `web` could PUT web's spec with `other`'s backend as its
 * preview backend and break `other`'s traffic.
 */
import { afterAll, describe, expect, it } from "vitest";
import { serviceSpec, startApi, type Credentials } from "./support/apiHarness";

const api = await startApi("ownership");
const fx = await api.seed();
const { assertBackendsDistinct, assertBackendsFree, assertMayChooseBackends } = await import("@/server/services/backendOwnership");
const { ServiceSpec } = await import("@/server/services/serviceSpecInput");
const { createApiToken } = await import("@/server/auth/createApiToken");
const { createService } = await import("@/server/services/saveService");
const { isSwitchyardServerName, serverName } = await import("@/server/releases/containerNaming");

const rootActor = api.actorOf(fx.users.admin, "admin");
createService(rootActor, serviceSpec("other"));
const admin: Credentials = { kind: "session", cookie: fx.sessions.admin };
const operator: Credentials = { kind: "token", token: fx.tokens.operator };
const webOnly: Credentials = {
  kind: "token",
  token: createApiToken(rootActor, { name: "web-op", role: "operator", services: ["web"] }).token,
};
const webOnlyAdmin: Credentials = {
  kind: "token",
  token: createApiToken(rootActor, { name: "web-admin", role: "admin", services: ["web"] }).token,
};

const spec = (name: string, haproxy: { backend: string; previewBackend?: string }, extra: object = {}) => ({
  ...serviceSpec(name),
  haproxy,
  ...extra,
});
const specOf = async (name: string) =>
  (await api.call("GET", "/api/services/{name}", { params: { name }, auth: admin })).json as { service: { spec: { haproxy: unknown } } };
const storedHaproxy = (name: string) => {
  const row = api
    .db()
    .select()
    .from(api.schema.services)
    .all()
    .find((s) => s.name === name);
  return row ? (JSON.parse(row.spec) as { haproxy: unknown }).haproxy : undefined;
};

afterAll(async () => {
  await api.close();
});

describe("backend ownership rules (pure)", () => {
  const parsed = (name: string, backend: string, previewBackend?: string) =>
    ServiceSpec.parse(spec(name, { backend, ...(previewBackend ? { previewBackend } : {}) }));
  const others = [{ name: "other", spec: parsed("other", "other-be", "other-preview") }];

  it("refuses a live or preview backend another service uses, naming that service", () => {
    expect(() => assertBackendsFree(parsed("web", "web-be", "other-be"), others)).toThrow(
      /'other-be' belongs to service 'other' \(its live backend\)/,
    );
    expect(() => assertBackendsFree(parsed("web", "other-preview"), others)).toThrow(
      /'other-preview' belongs to service 'other' \(its preview backend\)/,
    );
    expect(() => assertBackendsFree(parsed("web", "web-be", "web-preview"), others)).not.toThrow();
    // A service keeps its own backends when its spec is replaced.
    expect(() => assertBackendsFree(parsed("other", "other-be", "other-preview"), others)).not.toThrow();
  });

  it("refuses the same backend as live and preview", () => {
    expect(() => assertBackendsFree({ ...parsed("web", "web-be"), haproxy: { backend: "x", previewBackend: "x" } }, [])).toThrow(
      /must differ/,
    );
    expect(ServiceSpec.safeParse(spec("web", { backend: "x", previewBackend: "x" })).success).toBe(false);
  });

  it("refuses two specs of one import sharing a backend", () => {
    expect(() => assertBackendsDistinct([parsed("a", "a-be", "shared"), parsed("b", "shared")])).toThrow(
      /'shared' is named by both 'a' and 'b'/,
    );
  });

  it("choosing backends needs an admin not limited to services; the rest of the spec does not", () => {
    const before = parsed("web", "web-be", "web-preview");
    const moved = parsed("web", "web-be", "elsewhere");
    const op = api.actorOf(fx.users.operator, "operator");
    expect(() => assertMayChooseBackends(op, before, { ...before, autoSwitch: true })).not.toThrow();
    expect(() => assertMayChooseBackends(op, before, moved)).toThrow(/needs the admin role; you are operator/);
    expect(() => assertMayChooseBackends(op, null, before)).toThrow(/Creating a service .* needs the admin role/);
    expect(() => assertMayChooseBackends({ ...rootActor, via: "token", services: ["web"] }, before, moved)).toThrow(/limited to web/);
    expect(() => assertMayChooseBackends(rootActor, before, moved)).not.toThrow();
  });

  it("recognises Switchyard's own server names", () => {
    expect(isSwitchyardServerName(serverName(12, "alpha.lab", 3))).toBe(true);
    for (const name of ["web1", "legacy-app", "r0-alpha-1", "r1-alpha", "r1--1", "blue"])
      expect(isSwitchyardServerName(name), name).toBe(false);
  });
});

describe("on the wire", () => {
  it("a token limited to web cannot point web's preview at other's backend (the reported attack): 403, nothing written", async () => {
    const res = await api.call("PUT", "/api/services/{name}", {
      params: { name: "web" },
      body: spec("web", { backend: "web-be", previewBackend: "other-be" }),
      auth: webOnly,
    });
    expect(res.status, res.text).toBe(403);
    expect(res.json.error?.message).toMatch(/Changing the HAProxy backends of 'web' .* needs the admin role; you are operator/);
    const asAdminToken = await api.call("PUT", "/api/services/{name}", {
      params: { name: "web" },
      body: spec("web", { backend: "web-be", previewBackend: "web-elsewhere" }),
      auth: webOnlyAdmin,
    });
    expect(asAdminToken.status, asAdminToken.text).toBe(403);
    expect(asAdminToken.json.error?.message).toMatch(/not limited to services; this token is limited to web/);
    expect(storedHaproxy("web")).toEqual({ backend: "web-be", previewBackend: "web-preview" });
  });

  it("operators and limited tokens still change the rest of the spec", async () => {
    for (const auth of [operator, webOnly]) {
      const res = await api.call("PUT", "/api/services/{name}", {
        params: { name: "web" },
        body: { ...serviceSpec("web"), autoSwitch: true },
        auth,
      });
      expect(res.status, res.text).toBe(200);
    }
  });

  it("an admin naming another service's backend gets 409 naming the owner", async () => {
    const put = await api.call("PUT", "/api/services/{name}", {
      params: { name: "web" },
      body: spec("web", { backend: "web-be", previewBackend: "other-be" }),
      auth: admin,
    });
    expect(put.status, put.text).toBe(409);
    expect(put.json.error?.message).toMatch(/'other-be' belongs to service 'other'/);
    const create = await api.call("POST", "/api/services", { body: spec("thief", { backend: "other-preview" }), auth: admin });
    expect(create.status, create.text).toBe(409);
    expect(create.json.error?.message).toMatch(/'other-preview' belongs to service 'other'/);
    expect(storedHaproxy("thief")).toBeUndefined();
    const same = await api.call("POST", "/api/services", { body: spec("twin", { backend: "tw", previewBackend: "tw" }), auth: admin });
    expect(same.status, same.text).toBe(400);
    expect((await specOf("web")).service.spec.haproxy).toEqual({ backend: "web-be", previewBackend: "web-preview" });
  });

  it("an admin may move a service to a free backend", async () => {
    const res = await api.call("PUT", "/api/services/{name}", {
      params: { name: "web" },
      body: spec("web", { backend: "web-be", previewBackend: "web-preview-2" }),
      auth: admin,
    });
    expect(res.status, res.text).toBe(200);
    expect(storedHaproxy("web")).toEqual({ backend: "web-be", previewBackend: "web-preview-2" });
  });

  it("creating a service is admin only", async () => {
    const res = await api.call("POST", "/api/services", { body: serviceSpec("by-operator"), auth: operator });
    expect(res.status).toBe(403);
    expect(res.json.error?.message).toMatch(/needs the admin role/);
  });

  it("import: the same rules, checked before anything is written", async () => {
    const importing = (specs: object[], auth: Credentials) =>
      api.call("POST", "/api/services/import", { body: { content: JSON.stringify(specs) }, auth });
    const create = await importing([serviceSpec("imp-new")], operator);
    expect(create.status, create.text).toBe(403);
    expect(create.json.error?.message).toMatch(/Creating a service .* needs the admin role/);
    const move = await importing([spec("other", { backend: "other-be", previewBackend: "moved" })], operator);
    expect(move.status, move.text).toBe(403);
    const steal = await importing([serviceSpec("imp-ok"), spec("imp-thief", { backend: "other-be" })], admin);
    expect(steal.status, steal.text).toBe(409);
    expect(steal.json.error?.message).toMatch(/'other-be' belongs to service 'other'/);
    expect(storedHaproxy("imp-ok")).toBeUndefined();
    const shared = await importing(
      [spec("imp-a", { backend: "shared-be" }), spec("imp-b", { backend: "x-be", previewBackend: "shared-be" })],
      admin,
    );
    expect(shared.status, shared.text).toBe(409);
    const edit = await importing([{ ...serviceSpec("other"), autoSwitch: true }], operator);
    expect(edit.status, edit.text).toBe(200);
    expect(edit.json).toMatchObject({ updated: ["other"] });
  });

  it("import: a spec refused for its placement or a missing kept secret leaves the valid ones unwritten", async () => {
    const importing = (specs: object[]) =>
      api.call("POST", "/api/services/import", { body: { content: JSON.stringify(specs) }, auth: admin });
    const badHost = await importing([
      serviceSpec("imp-valid"),
      { ...serviceSpec("imp-nohost"), placement: [{ host: "nope", replicas: 1 }] },
    ]);
    expect(badHost.status, badHost.text).toBe(400);
    expect(badHost.json.error?.message).toMatch(/unknown host 'nope'/);
    expect(storedHaproxy("imp-valid")).toBeUndefined();
    const badSecret = await importing([
      serviceSpec("imp-valid"),
      { ...serviceSpec("imp-nosecret"), env: [{ name: "TOKEN", value: "********", secret: true }] },
    ]);
    expect(badSecret.status, badSecret.text).toBe(400);
    expect(badSecret.json.error?.message).toMatch(/TOKEN has none/);
    expect(storedHaproxy("imp-valid")).toBeUndefined();
  });
});
