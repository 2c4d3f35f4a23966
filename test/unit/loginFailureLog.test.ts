/**
 * Failed logins in the release log: every viewer reads the log, so it looks
 * the same whether or not the typed name exists; only admins learn which
 * account was tried, and a typed name that matches no account (often a
 * password typed into the wrong field) is never stored at all.
 */
import { afterAll, describe, expect, it } from "vitest";
import { ORIGIN, startApi } from "./support/apiHarness";

const api = await startApi("login-log", { haproxy: false });
const fx = await api.seed();
afterAll(() => api.close());

type Event = { action: string; outcome: string; actor: string; message: string | null; detail: unknown };
const PASSWORD_LIKE = "Tr0ub4dor&3-secret";

async function failedLogins(token: string): Promise<Event[]> {
  const res = await api.call("GET", "/api/events", { query: "action=login", auth: { kind: "token", token } });
  expect(res.status).toBe(200);
  return (res.json as unknown as { events: Event[] }).events.filter((e) => e.outcome === "failed");
}

describe("failed logins in the release log", () => {
  it("tell only admins whether the username exists, and never keep a typed name that matches no account", async () => {
    const login = (username: string, ip: string) =>
      api.call("POST", "/api/auth/login", {
        body: { username, password: "wrong-password" },
        headers: { origin: ORIGIN, "x-forwarded-for": ip },
      });
    expect((await login("olga", "198.51.100.1")).status).toBe(401);
    expect((await login(PASSWORD_LIKE, "198.51.100.2")).status).toBe(401);

    const stored = JSON.stringify(api.db().select().from(api.schema.events).all());
    expect(stored).not.toContain(PASSWORD_LIKE);

    for (const role of ["viewer", "operator"] as const) {
      const seen = await failedLogins(fx.tokens[role]);
      expect(
        seen.map((e) => [e.actor, e.message, e.detail]),
        role,
      ).toEqual([
        ["anonymous", "wrong username or password", {}],
        ["anonymous", "wrong username or password", {}],
      ]);
    }
    const admin = await failedLogins(fx.tokens.admin);
    expect(admin.map((e) => e.detail)).toEqual([
      { adminOnly: { usernameExists: false } },
      { adminOnly: { usernameExists: true, username: "olga" } },
    ]);

    // Filtering by actor tells a viewer nothing either.
    const byName = await api.call("GET", "/api/events", { query: "actor=olga", auth: { kind: "token", token: fx.tokens.viewer } });
    expect((byName.json as unknown as { events: Event[] }).events.filter((e) => e.action === "login")).toEqual([]);
  });
});
