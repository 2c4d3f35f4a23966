/**
 * Every route in the API catalog (and so every route file: openApi.test.ts keeps
 * them equal): 401 without credentials, 403 below its role, 4xx with a clear
 * message on malformed params, unknown things and bad bodies; the same-origin
 * rule for cookie changes; revoked, garbage and scoped tokens.
 */
import { afterAll, describe, expect, it } from "vitest";
import { roleBelow, startApi, type Credentials } from "./support/apiHarness";
import {
  acceptsEmpty,
  badBody,
  malformedParams,
  pathParams,
  routeKey,
  unknownParams,
  validBody,
  validQuery,
  wellFormedParams,
} from "./support/routeExamples";

const api = await startApi("routes");
const fx = await api.seed();
const ROUTES = api.catalog;
const PROTECTED = ROUTES.filter((r) => r.role !== "public");
const MUTATING = PROTECTED.filter((r) => r.method !== "GET");
const WITH_PARAMS = ROUTES.filter((r) => pathParams(r).length > 0);
const WITH_BODY = ROUTES.filter((r) => r.body);

const admin: Credentials = { kind: "session", cookie: fx.sessions.admin };
const label = (r: Pick<(typeof ROUTES)[number], "method" | "path">) => routeKey(r);
let checks = 0;

afterAll(async () => {
  console.log(`[routes] ${checks} route checks over ${ROUTES.length} catalog routes`);
  await api.close();
});

function base(r: (typeof ROUTES)[number]) {
  return { params: wellFormedParams(r), query: validQuery(r), body: validBody(r) };
}

describe("every route", () => {
  it("has an example body and query where its schema needs one", () => {
    for (const r of ROUTES) {
      expect(() => validBody(r), label(r)).not.toThrow();
      expect(() => validQuery(r), label(r)).not.toThrow();
      const body = validBody(r);
      if (r.body) expect(r.body.safeParse(body).success, `${label(r)}: the example body must pass the route's schema`).toBe(true);
    }
  });

  it.each(PROTECTED.map((r) => [label(r), r] as const))("%s: 401 without credentials, with a garbage or revoked token", async (_l, r) => {
    const none = await api.call(r.method, r.path, base(r));
    expect(none.status, none.text).toBe(401);
    expect(none.json.error?.code).toBe("UNAUTHENTICATED");
    const garbage = await api.call(r.method, r.path, {
      ...base(r),
      auth: { kind: "headers", headers: { authorization: "Bearer syt_not-a-real-token" } },
    });
    expect(garbage.status).toBe(401);
    const basic = await api.call(r.method, r.path, {
      ...base(r),
      auth: { kind: "headers", headers: { authorization: "Basic cm9vdDpyb290" } },
    });
    expect(basic.status).toBe(401);
    const staleCookie = await api.call(r.method, r.path, { ...base(r), auth: { kind: "session", cookie: "sys_expired-or-forged" } });
    expect(staleCookie.status).toBe(401);
    checks += 4;
  });

  it.each(PROTECTED.filter((r) => roleBelow(r.role)).map((r) => [label(r), r] as const))(
    "%s: 403 below its role, by token and by session",
    async (_l, r) => {
      const below = roleBelow(r.role)!;
      const lower = ["viewer", "operator"].slice(0, ["viewer", "operator"].indexOf(below) + 1) as ("viewer" | "operator")[];
      for (const role of lower) {
        for (const auth of [
          { kind: "token", token: fx.tokens[role] },
          { kind: "session", cookie: fx.sessions[role] },
        ] as Credentials[]) {
          const res = await api.call(r.method, r.path, { ...base(r), auth });
          expect(res.status, `${role} via ${auth.kind}: ${res.text}`).toBe(403);
          expect(res.json.error?.message).toMatch(new RegExp(`needs the ${r.role} role`));
          checks++;
        }
      }
    },
  );

  it.each(WITH_PARAMS.map((r) => [label(r), r] as const))("%s: 400 naming the malformed path parameter", async (_l, r) => {
    for (const { param, params } of malformedParams(r)) {
      const res = await api.call(r.method, r.path, { ...base(r), params, auth: r.role === "public" ? undefined : admin });
      expect(res.status, `${param}: ${res.text}`).toBe(400);
      expect(res.json.error?.message).toContain(`→ at ${param}`);
      checks++;
    }
  });

  it.each(WITH_PARAMS.filter((r) => r.role !== "public").map((r) => [label(r), r] as const))(
    "%s: 404 for things that do not exist",
    async (_l, r) => {
      const res = await api.call(r.method, r.path, { ...base(r), params: unknownParams(r), auth: admin });
      expect(res.status, res.text).toBe(404);
      expect(res.json.error?.code).toBe("NOT_FOUND");
      checks++;
    },
  );

  it.each(WITH_BODY.map((r) => [label(r), r] as const))("%s: 400 for a bad body, naming the field", async (_l, r) => {
    const auth = r.role === "public" ? undefined : admin;
    const { body, path } = badBody(r);
    const wrong = await api.call(r.method, r.path, { ...base(r), body, auth });
    expect(wrong.status, wrong.text).toBe(400);
    expect(wrong.json.error?.code).toBe("VALIDATION");
    expect(wrong.json.error?.message).toContain(path);
    const notJson = await api.call(r.method, r.path, {
      ...base(r),
      rawBody: '{"unterminated": ',
      headers: { "content-type": "application/json" },
      auth,
    });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error?.message).toMatch(/not valid JSON/);
    const array = await api.call(r.method, r.path, { ...base(r), body: [1, 2, 3], auth });
    expect(array.status).toBe(400);
    checks += 3;
    if (!acceptsEmpty(r.body)) {
      const empty = await api.call(r.method, r.path, { ...base(r), body: undefined, auth });
      expect(empty.status, empty.text).toBe(400);
      checks++;
    }
  });

  it.each(ROUTES.filter((r) => r.query && !r.query.safeParse({ bogus: "1" }).success).map((r) => [label(r), r] as const))(
    "%s: 400 for an unknown query parameter",
    async (_l, r) => {
      const query = [validQuery(r), "bogus=1"].filter(Boolean).join("&");
      const res = await api.call(r.method, r.path, { ...base(r), query, auth: r.role === "public" ? undefined : admin });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error?.message).toContain("bogus");
      checks++;
    },
  );

  it.each(MUTATING.map((r) => [label(r), r] as const))(
    "%s: a cookie change without Origin, or from another origin, is 403",
    async (_l, r) => {
      for (const origin of [null, "https://evil.example", "null", "http://switchyard.test.evil.example"]) {
        const res = await api.call(r.method, r.path, { ...base(r), auth: { kind: "session", cookie: fx.sessions.admin, origin } });
        expect(res.status, `Origin ${origin}: ${res.text}`).toBe(403);
        checks++;
      }
    },
  );

  it("the catch-all answers 401, then 404 in the envelope", async () => {
    const mod = (await import("@/app/api/[...path]/route")) as Record<string, (req: never, ctx: never) => Promise<Response>>;
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      const anon = await mod[method]!(
        api.request(method, "/api/no/such/route") as never,
        { params: Promise.resolve({ path: ["no", "such", "route"] }) } as never,
      );
      expect(anon.status).toBe(401);
      const authed = await mod[method]!(
        api.request(method, "/api/no/such/route", { auth: { kind: "token", token: fx.tokens.viewer } }) as never,
        { params: Promise.resolve({ path: ["no"] }) } as never,
      );
      expect(authed.status).toBe(404);
      checks += 2;
    }
  });
});

describe("API tokens on the wire", () => {
  it("a revoked token is 401 on every protected route", async () => {
    const { createApiToken } = await import("@/server/auth/createApiToken");
    const { revokeApiToken } = await import("@/server/auth/revokeApiToken");
    const actor = api.actorOf(fx.users.admin, "admin");
    const { token, apiToken } = createApiToken(actor, { name: "to-revoke", role: "admin" });
    expect((await api.call("GET", "/api/me", { auth: { kind: "token", token } })).status).toBe(200);
    revokeApiToken(actor, apiToken.id);
    for (const r of PROTECTED) {
      const res = await api.call(r.method, r.path, { ...base(r), auth: { kind: "token", token } });
      expect(res.status, label(r)).toBe(401);
      expect(res.json.error?.message).toMatch(/revoked/);
      checks++;
    }
  });

  it("is refused where only a browser session may act", async () => {
    for (const r of ROUTES.filter((x) => x.sessionOnly)) {
      const res = await api.call(r.method, r.path, { ...base(r), auth: { kind: "token", token: fx.tokens.admin } });
      expect(res.status, label(r)).toBe(403);
      expect(res.json.error?.message).toMatch(/browser session/);
      checks++;
    }
  });

  it("a token limited to services changes only those, and reads everything", async () => {
    const { createApiToken } = await import("@/server/auth/createApiToken");
    const actor = api.actorOf(fx.users.admin, "admin");
    const { createService } = await import("@/server/services/saveService");
    const { serviceSpec } = await import("./support/apiHarness");
    createService(actor, serviceSpec("other"));
    const { token } = createApiToken(actor, { name: "web-only", role: "operator", services: ["web"] });
    const auth: Credentials = { kind: "token", token };

    for (const r of ROUTES.filter((x) => x.role !== "public" && x.role !== "admin")) {
      const mine = await api.call(r.method, r.path, {
        ...base(r),
        params: { ...wellFormedParams(r), ...(pathParams(r).includes("name") ? { name: "web" } : {}) },
        auth,
      });
      const touchesService = pathParams(r).includes("name");
      if (r.method === "GET" || touchesService) {
        expect(mine.json.error?.message ?? "", `${label(r)} on web`).not.toMatch(/limited to/);
      } else {
        expect(mine.status, `${label(r)}: ${mine.text}`).toBe(403);
        expect(mine.json.error?.message).toMatch(/limited to web/);
      }
      checks++;
      if (touchesService && r.method !== "GET") {
        const other = await api.call(r.method, r.path, { ...base(r), params: { ...wellFormedParams(r), name: "other" }, auth });
        expect(other.status, label(r)).toBe(403);
        expect(other.json.error?.message).toMatch(/limited to web; it may not change other/);
        checks++;
      }
    }
  });

  it("a scope must name existing services, each once", async () => {
    const scoped = (services: unknown) => api.call("POST", "/api/tokens", { body: { name: "s", role: "viewer", services }, auth: admin });
    expect((await scoped(["web", "web"])).status).toBe(400);
    expect((await scoped([])).status).toBe(400);
    const unknown = await scoped(["nope"]);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error?.message).toMatch(/services: no service named 'nope'/);
    const ok = await scoped(["web"]);
    expect(ok.status).toBe(201);
    expect((ok.json as { apiToken: { services: string[] } }).apiToken.services).toEqual(["web"]);
    checks += 4;
  });
});
