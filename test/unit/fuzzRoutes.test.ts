/**
 * Fuzz: random and malformed params, query strings, bodies and headers
 * (Authorization, Cookie, Origin, Content-Type, X-Forwarded-*) against every
 * route of the API catalog plus the catch-all, in-process. For every request:
 *
 * - never a 500 (nor any 5xx but 503, "engine/HAProxy unavailable");
 * - every error is the JSON envelope { error: { code, message } };
 * - no unhandled promise rejection;
 * - nothing written to the database when the answer is a 4xx.
 *
 * "Nothing written" is checked with a fingerprint of every table (row count,
 * max rowid and, for tables up to 500 rows, a hash of the rows; the release
 * log, being append-only, by count and max id). Writes a 4xx may make, and
 * which the fingerprint leaves out on purpose:
 * - the release-log event of a failed login (an audit trail of failed logins);
 * - api_tokens.last_used_at and sessions.last_seen_at: the credentials were
 *   valid and used, even though the request then failed;
 * - the login rate limiter's memory (in-process, not the database).
 *
 * argon2 is replaced by a fast fake here (the hashes are not what is under
 * test; test/unit/loginSessions.test.ts uses the real one).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ORIGIN, serviceSpec, startApi, type ApiRoute, type Credentials } from "./support/apiHarness";
import { pathParams, routeKey, validBody, validQuery, wellFormedParams } from "./support/routeExamples";

vi.mock("@node-rs/argon2", () => ({
  hash: async (password: string) => `fake-argon2$${password}`,
  verify: async (hash: string, password: string) => hash === `fake-argon2$${password}`,
}));

const TOTAL_CASES = 10_000;
/** Random per run; FUZZ_SEED=<n> replays one (fast-check also prints the seed of a failure). */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

const api = await startApi("fuzz");
let fx = await api.seed();
const { db } = api;
const sqlite = db().$client;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
});

// ---------------------------------------------------------------- fixtures

const { createApiToken } = await import("@/server/auth/createApiToken");
const { revokeApiToken } = await import("@/server/auth/revokeApiToken");
const { createSession, sessionUser } = await import("@/server/auth/sessions");
const { tokenUser } = await import("@/server/auth/apiTokens");
const { createService } = await import("@/server/services/saveService");
const { createHost } = await import("@/server/hosts/createHost");
const { hashPassword } = await import("@/server/auth/password");
const schema = api.schema;
const ROLES = ["admin", "operator", "viewer"] as const;

const scoped = createApiToken(api.actorOf(fx.users.admin, "admin"), { name: "scoped", role: "operator", services: ["web"] }).token;
const revoked = (() => {
  const t = createApiToken(api.actorOf(fx.users.admin, "admin"), { name: "revoked", role: "admin" });
  revokeApiToken(api.actorOf(fx.users.admin, "admin"), t.apiToken.id);
  return t.token;
})();
// Something for the id routes to find: an operation, a scan, an ignore rule, a quarantine.
await api.call("POST", "/api/services/{name}/deploy", {
  params: { name: "web" },
  query: "wait=true",
  body: { image: "1.0.0" },
  auth: { kind: "token", token: fx.tokens.operator },
});
await api.call("POST", "/api/drift/scans", { query: "wait=true", body: {}, auth: { kind: "token", token: fx.tokens.operator } });
await api.call("POST", "/api/drift/ignore-rules", { body: { pattern: "/tmp" }, auth: { kind: "token", token: fx.tokens.admin } });
db()
  .insert(schema.quarantines)
  .values({
    releaseContainerId: 1,
    hostId: fx.deadHostId,
    hostName: "dead",
    dockerId: "f".repeat(64),
    originalName: "web-1-blue-1",
    quarantinedName: "web-1-blue-1-q",
    serviceName: "web",
    releaseNumber: 1,
    reason: "fuzz",
    quarantinedBy: "test",
    quarantinedAt: new Date(),
    deadline: new Date(Date.now() + 86_400_000),
    status: "active",
  })
  .run();

/**
 * The fuzz may revoke, demote or delete the fixture users, end their sessions
 * or delete the service: put them back (between cases, never inside one).
 */
async function repairFixtures(): Promise<void> {
  for (const role of ROLES) {
    let u = db()
      .select()
      .from(schema.users)
      .all()
      .find((x) => x.username === fx.users[role].username);
    if (!u) {
      u = db()
        .insert(schema.users)
        .values({
          username: fx.users[role].username,
          passwordHash: await hashPassword(fx.users[role].password),
          role,
          createdAt: new Date(),
        })
        .returning()
        .get();
      fx = { ...fx, users: { ...fx.users, [role]: { ...fx.users[role], id: u.id } } };
    }
    if (u.role !== role) db().update(schema.users).set({ role }).where(eqId(schema.users.id, u.id)).run();
    if (tokenUser(fx.tokens[role])?.role !== role)
      fx.tokens[role] = createApiToken(api.actorOf(fx.users[role], role), { name: `${role}-again`, role }).token;
    if (!sessionUser(fx.sessions[role])) fx.sessions[role] = createSession(fx.users[role].id).token;
  }
  if (
    !db()
      .select()
      .from(schema.hosts)
      .all()
      .some((h) => h.name === "dead")
  ) {
    fx.deadHostId = createHost(null, { name: "dead", url: `unix://${api.dataDir}/no-docker.sock` }).id;
  }
  if (
    !db()
      .select()
      .from(schema.services)
      .all()
      .some((s) => s.name === "web")
  )
    createService(api.actorOf(fx.users.admin, "admin"), serviceSpec("web"));
}
const { eq: eqId } = await import("drizzle-orm");

// ---------------------------------------------------------------- "nothing written"

const totalChanges = sqlite.prepare("select total_changes() as n").pluck();
const tables = sqlite
  .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name")
  .pluck()
  .all() as string[];
/** Columns a failed request may still touch (see the header). */
const VOLATILE: Record<string, string[]> = { api_tokens: ["last_used_at"], sessions: ["last_seen_at"] };

function fingerprint(): string {
  const parts: string[] = [];
  for (const t of tables) {
    if (t === "events") {
      const row = sqlite
        .prepare("select count(*) as n, max(id) as m from events where not (action = 'login' and outcome = 'failed')")
        .get();
      parts.push(`events ${JSON.stringify(row)}`);
      continue;
    }
    const head = sqlite.prepare(`select count(*) as n, max(rowid) as m from "${t}"`).get() as { n: number; m: number | null };
    let rows = "";
    if (head.n <= 500) {
      const all = sqlite.prepare(`select * from "${t}" order by rowid`).all() as Record<string, unknown>[];
      rows = JSON.stringify(all.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !VOLATILE[t]?.includes(k)))));
    }
    parts.push(`${t} ${head.n} ${head.m} ${rows}`);
  }
  return parts.join("\n");
}

let cached = { changes: -1, print: "" };
let fingerprints = 0;
let deepChecks = 0;
let repairs = 0;
/** The fingerprint, recomputed only when something was written since (total_changes() moved). */
function currentFingerprint(): string {
  const changes = totalChanges.get() as number;
  if (changes !== cached.changes) {
    cached = { changes, print: fingerprint() };
    fingerprints++;
  }
  return cached.print;
}

// ---------------------------------------------------------------- arbitraries

const printable = (max = 40) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: max });
const weird = fc.constantFrom(
  "",
  "0",
  "-1",
  "1e3",
  "99999999999999999999",
  "NaN",
  "../../etc/passwd",
  "%00",
  "' OR 1=1 --",
  "<script>",
  "web\u0000",
  "a".repeat(3000),
  "__proto__",
  "constructor",
  "web ",
  " web",
  "WEB",
  "١٢٣",
);

type Auth =
  | { sym: "none" | "scoped" | "revoked" }
  | { sym: "token" | "session"; role: (typeof ROLES)[number]; origin?: "same" | "none" | "foreign" | "garbage" }
  | { sym: "raw"; headers: Record<string, string> };

const authArb: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom<Auth>({ sym: "none" }, { sym: "scoped" }, { sym: "revoked" }) },
  { weight: 3, arbitrary: fc.record({ sym: fc.constant("token" as const), role: fc.constantFrom(...ROLES) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      sym: fc.constant("session" as const),
      role: fc.constantFrom(...ROLES),
      origin: fc.constantFrom("same" as const, "same" as const, "none" as const, "foreign" as const, "garbage" as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .record(
        {
          authorization: fc.oneof(
            printable(),
            printable().map((s) => `Bearer ${s}`),
            fc.constant("Bearer"),
            fc.constant("Bearer  syt_"),
          ),
          cookie: fc.oneof(
            printable(),
            printable().map((s) => `switchyard_session=${s}`),
          ),
        },
        { requiredKeys: [] },
      )
      .map((headers) => ({ sym: "raw" as const, headers })),
  },
);

function credentials(a: Auth): Credentials {
  switch (a.sym) {
    case "none":
      return { kind: "none" };
    case "scoped":
      return { kind: "token", token: scoped };
    case "revoked":
      return { kind: "token", token: revoked };
    case "token":
      return { kind: "token", token: fx.tokens[a.role] };
    case "session": {
      const origin =
        a.origin === "none" ? null : a.origin === "foreign" ? "https://evil.example" : a.origin === "garbage" ? "::not a url::" : ORIGIN;
      return { kind: "session", cookie: fx.sessions[a.role], origin };
    }
    case "raw":
      return { kind: "headers", headers: a.headers };
  }
}

const extraHeadersArb = fc.record(
  {
    "content-type": fc.oneof(
      fc.constantFrom(
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=utf-16",
      ),
      printable(),
    ),
    "x-forwarded-for": fc.oneof(fc.constantFrom("10.0.0.1", "::1", "1.1.1.1, 2.2.2.2", ", ,", "unknown"), printable()),
    "x-forwarded-proto": fc.constantFrom("https", "http", "gopher", ""),
    "x-forwarded-host": fc.oneof(fc.constant("switchyard.test"), printable(20)),
    "content-length": fc.constantFrom("0", "5", "99999999999", "-1", "abc"),
  },
  { requiredKeys: [] },
);

function paramArb(r: ApiRoute, name: string): fc.Arbitrary<string> {
  const good = wellFormedParams(r)[name]!;
  const existing =
    name === "id" ? fc.constantFrom("1", "2", "3", "4") : name === "name" ? fc.constantFrom("web", "other", good) : fc.constant(good);
  return fc.oneof(
    { weight: 3, arbitrary: existing },
    { weight: 1, arbitrary: weird },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
    { weight: 1, arbitrary: fc.nat().map(String) },
  );
}

type BodyCase = { json?: unknown; raw?: string } | undefined;

function bodyArb(r: ApiRoute): fc.Arbitrary<BodyCase> {
  const good = r.body ? validBody(r) : {};
  const goodObj = good && typeof good === "object" && !Array.isArray(good) ? (good as Record<string, unknown>) : {};
  const keys = Object.keys(goodObj);
  const options: fc.Arbitrary<BodyCase>[] = [
    fc.constant(undefined),
    fc.constant({ json: good }),
    fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json })),
    fc.string({ maxLength: 60 }).map((raw) => ({ raw })),
    fc.constantFrom<BodyCase>(
      { raw: '{"__proto__": {"role": "admin"}, "constructor": {"prototype": {"x": 1}}}' },
      { raw: "[".repeat(2000) + "]".repeat(2000) },
      { raw: "\ufeff{}" },
      { raw: "null" },
      { raw: '{"a":1}{"b":2}' },
      { raw: "x".repeat(1024 * 1024 + 10) },
    ),
    fc
      .dictionary(
        fc.oneof(fc.constantFrom(...keys, "role", "services", "everywhere", "image", "wait"), printable(12)),
        fc.jsonValue({ maxDepth: 2 }),
        { maxKeys: 4 },
      )
      .map((extra) => ({ json: { ...goodObj, ...extra } })),
  ];
  if (keys.length) {
    options.push(
      fc
        .record({ key: fc.constantFrom(...keys), value: fc.jsonValue({ maxDepth: 2 }) })
        .map(({ key, value }) => ({ json: { ...goodObj, [key]: value } })),
      fc.constantFrom(...keys).map((key) => ({ json: Object.fromEntries(Object.entries(goodObj).filter(([k]) => k !== key)) })),
    );
  }
  return fc.oneof(...options);
}

function queryArb(r: ApiRoute): fc.Arbitrary<string> {
  const known = [
    "wait",
    "format",
    "limit",
    "before",
    "service",
    "actor",
    "action",
    "fail",
    "page",
    "pageSize",
    "dir",
    "kind",
    "ignored",
    "path",
  ];
  return fc.oneof(
    fc.constant(validQuery(r)),
    fc
      .dictionary(
        fc.oneof(fc.constantFrom(...known), printable(8)),
        fc.oneof(weird, printable(20), fc.constantFrom("true", "1", "json", "yaml", "0", "-5", "5001")),
        { maxKeys: 4 },
      )
      .map((d) => new URLSearchParams(d).toString()),
    printable(40).map((s) => s.replace(/#/g, "")),
  );
}

// ---------------------------------------------------------------- the property

type Target = { route: ApiRoute; file: string };
const CATCH_ALL: ApiRoute[] = (["GET", "POST", "PUT", "PATCH", "DELETE"] as const).map((method) => ({
  method,
  path: "/api/[...path]",
  summary: "catch-all",
  role: "viewer",
}));
const targets: Target[] = [...api.catalog, ...CATCH_ALL].map((route) => ({ route, file: routeKey(route) }));
const runsPerRoute = Math.ceil(TOTAL_CASES / targets.length);
let cases = 0;
const statuses = new Map<number, number>();

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  const summary = [...statuses.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([s, n]) => `${s}×${n}`)
    .join(" ");
  console.log(`[fuzz] ${cases} cases over ${targets.length} routes (${runsPerRoute} each, seed ${SEED}): ${summary}`);
  console.log(
    `[fuzz] ${fingerprints} fingerprints taken, ${deepChecks} 4xx answers compared table by table (allowed writes only), ${repairs} fixture checks`,
  );
  await api.close();
});

describe("fuzzing every route", () => {
  it.each(targets.map((t) => [t.file, t] as const))("%s", async (_f, { route }) => {
    const paramNames = route.path === "/api/[...path]" ? [] : pathParams(route);
    const arb = fc.record({
      params: fc.record(Object.fromEntries(paramNames.map((p) => [p, paramArb(route, p)])) as Record<string, fc.Arbitrary<string>>),
      query: queryArb(route),
      body: bodyArb(route),
      auth: authArb,
      headers: extraHeadersArb,
    });
    await fc.assert(
      fc.asyncProperty(arb, async (c) => {
        const before = currentFingerprint();
        const changesBefore = cached.changes;
        const body = c.body === undefined ? {} : c.body.raw !== undefined ? { rawBody: c.body.raw } : { body: c.body.json };
        const params = route.path === "/api/[...path]" ? ({ path: ["no", "such"] } as unknown as Record<string, string>) : c.params;
        const res = await api.call(route.method, route.path, {
          params,
          query: c.query,
          ...body,
          headers: c.headers,
          auth: credentials(c.auth),
        });
        cases++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const what = `${route.method} ${route.path} → ${res.status} ${res.text.slice(0, 300)}`;
        expect(res.status, what).not.toBe(500);
        expect(res.status === 503 || res.status < 500, what).toBe(true);
        if (res.status >= 400) {
          expect(res.json.error?.code, what).toMatch(/^[A-Z_]+$/);
          expect(typeof res.json.error?.message, what).toBe("string");
        }
        if (res.status >= 400 && res.status < 500 && (totalChanges.get() as number) !== changesBefore) {
          deepChecks++;
          expect(currentFingerprint(), `${what}\nwrote to the database on a ${res.status}`).toBe(before);
        }
        expect(unhandled, what).toEqual([]);
        if ((totalChanges.get() as number) !== cached.changes) {
          repairs++;
          await repairFixtures();
        }
      }),
      { numRuns: runsPerRoute, endOnFailure: true, seed: SEED },
    );
  });

  it(`ran at least ${TOTAL_CASES} cases with no unhandled rejection`, () => {
    expect(cases).toBeGreaterThanOrEqual(TOTAL_CASES);
    expect(unhandled).toEqual([]);
  });
});
