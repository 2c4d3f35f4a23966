/**
 * Login and sessions through the real route handlers: no user enumeration
 * (same answer, similar time), rate limiting per address and per user, session
 * rotation on login, log out everywhere, expiry, and Secure cookies behind TLS.
 */
import { afterAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { ORIGIN, startApi } from "./support/apiHarness";

const api = await startApi("login", { haproxy: false });
const fx = await api.seed();
const { sessions } = api.schema;

afterAll(() => api.close());

let ipCounter = 0;
const freshIp = () => `198.51.100.${++ipCounter}`;

function login(username: string, password: string, o: { ip?: string; cookie?: string; headers?: Record<string, string> } = {}) {
  return api.call("POST", "/api/auth/login", {
    body: { username, password },
    headers: {
      origin: ORIGIN,
      "x-forwarded-for": o.ip ?? freshIp(),
      ...(o.cookie ? { cookie: `switchyard_session=${o.cookie}` } : {}),
      ...o.headers,
    },
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The cookie a login answer sets, parsed. */
async function loginCookie(res: Response) {
  const header = res.headers.get("set-cookie") ?? "";
  return { header, value: /switchyard_session=([^;]*)/.exec(header)?.[1] ?? "" };
}

describe("login", () => {
  it("answers the same for an unknown user and a wrong password, in about the same time", async () => {
    await login("warm-up-unknown", "whatever-password"); // computes the dummy hash once
    const unknown: number[] = [];
    const wrong: number[] = [];
    // Six samples each; the wrong passwords alternate between two users to stay under the per-user limit.
    for (let i = 0; i < 6; i++) {
      const [tu, u] = await timed(() => login(`ghost-${i}`, "whatever-password"));
      const [tw, w] = await timed(() => login(i % 2 ? "root" : "vic", `wrong-password-${i}`));
      expect([u.status, w.status]).toEqual([401, 401]);
      expect(u.json).toEqual(w.json);
      expect(u.json.error?.message).toBe("Wrong username or password.");
      unknown.push(tu);
      wrong.push(tw);
    }
    const ratio = median(unknown) / median(wrong);
    console.log(`[login] median unknown user ${median(unknown).toFixed(1)} ms, wrong password ${median(wrong).toFixed(1)} ms`);
    expect(ratio).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
    expect((await login("vic", fx.users.viewer.password)).status).toBe(200); // resets their failures
    expect((await login("root", fx.users.admin.password)).status).toBe(200);
  });

  it("is rate-limited per user, the same way whether or not the user exists", async () => {
    for (const username of ["olga", "no-such-user"]) {
      for (let i = 0; i < 5; i++) expect((await login(username, "wrong-password-x")).status).toBe(401);
      const blocked = await login(username, username === "olga" ? fx.users.operator.password : "wrong-password-x");
      expect(blocked.status, username).toBe(429);
      expect(blocked.json.error?.message).toMatch(/^Too many failed logins; try again in \d+ s\.$/);
    }
  });

  it("is rate-limited per address, across usernames", async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) expect((await login(`spray-${i}`, "wrong-password-x", { ip })).status).toBe(401);
    const blocked = await login("root", fx.users.admin.password, { ip });
    expect(blocked.status).toBe(429);
    expect((await login("root", fx.users.admin.password)).status).toBe(200);
  });

  it("records failed logins (without the password) and refuses a cross-site login form", async () => {
    const res = await login("root", "not-my-secret-password");
    expect(res.status).toBe(401);
    const last = api.db().select().from(api.schema.events).all().at(-1)!;
    expect([last.action, last.outcome, last.actor]).toEqual(["login", "failed", "anonymous"]);
    expect(JSON.parse(last.detail!)).toEqual({ adminOnly: { usernameExists: true, username: "root" } });
    expect(JSON.stringify(last)).not.toContain("not-my-secret-password");
    const cross = await login("root", fx.users.admin.password, { headers: { origin: "https://evil.example" } });
    expect(cross.status).toBe(403);
  });
});

describe("sessions", () => {
  it("rotate on login: the session the request came with ends", async () => {
    const { createSession, sessionUser } = await import("@/server/auth/sessions");
    const old = createSession(fx.users.viewer.id).token;
    const handler = await api.handlerFor("POST", "/api/auth/login");
    const req = api.request("POST", "/api/auth/login", {
      body: { username: "vic", password: fx.users.viewer.password },
      headers: { origin: ORIGIN, cookie: `switchyard_session=${old}`, "x-forwarded-for": freshIp() },
    });
    const res = await handler(req, { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    const cookie = await loginCookie(res);
    expect(cookie.value).toMatch(/^sys_/);
    expect(cookie.value).not.toBe(old);
    expect(sessionUser(old)).toBeNull();
    expect(sessionUser(cookie.value)?.username).toBe("vic");
  });

  it("set the cookie HttpOnly and SameSite=Strict, and Secure behind TLS", async () => {
    const handler = await api.handlerFor("POST", "/api/auth/login");
    const send = (headers: Record<string, string>) =>
      handler(
        api.request("POST", "/api/auth/login", {
          body: { username: "vic", password: fx.users.viewer.password },
          headers: { origin: ORIGIN, "x-forwarded-for": freshIp(), ...headers },
        }),
        { params: Promise.resolve({}) },
      );
    const plain = await loginCookie(await send({}));
    expect(plain.header).toMatch(/HttpOnly/i);
    expect(plain.header).toMatch(/SameSite=Strict/i);
    expect(plain.header).not.toMatch(/Secure/i);
    const tls = await loginCookie(await send({ "x-forwarded-proto": "https" }));
    expect(tls.header).toMatch(/; Secure/i);
  });

  it("end everywhere on 'log out everywhere'; tokens keep working", async () => {
    const { createSession, sessionUser } = await import("@/server/auth/sessions");
    const a = createSession(fx.users.operator.id).token;
    const b = createSession(fx.users.operator.id).token;
    const res = await api.call("POST", "/api/auth/logout", { body: { everywhere: true }, auth: { kind: "session", cookie: a } });
    expect(res.status).toBe(200);
    expect(sessionUser(a)).toBeNull();
    expect(sessionUser(b)).toBeNull();
    expect((await api.call("GET", "/api/me", { auth: { kind: "session", cookie: b } })).status).toBe(401);
    expect((await api.call("GET", "/api/me", { auth: { kind: "token", token: fx.tokens.operator } })).status).toBe(200);
    expect(api.db().select().from(api.schema.events).all().at(-1)?.action).toBe("logout.everywhere");
  });

  it("expire", async () => {
    const { createSession } = await import("@/server/auth/sessions");
    const { tokenHash } = await import("@/server/auth/tokenHash");
    const s = createSession(fx.users.viewer.id).token;
    expect((await api.call("GET", "/api/me", { auth: { kind: "session", cookie: s } })).status).toBe(200);
    api
      .db()
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, tokenHash(s)))
      .run();
    expect((await api.call("GET", "/api/me", { auth: { kind: "session", cookie: s } })).status).toBe(401);
  });
});
