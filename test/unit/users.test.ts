/** User management through /api/users: admin only, never the last admin, never yourself; changes end sessions and are audited without hashes. */
import { afterAll, describe, expect, it } from "vitest";
import { startApi, type Credentials } from "./support/apiHarness";

const api = await startApi("users", { haproxy: false });
const fx = await api.seed();
const admin: Credentials = { kind: "session", cookie: fx.sessions.admin };
const { sessionUser, createSession } = await import("@/server/auth/sessions");

afterAll(() => api.close());

type UserView = { id: number; username: string; role: string; sessions: number; tokens: number };
const create = (body: unknown) => api.call("POST", "/api/users", { body, auth: admin });
const patch = (id: number, body: unknown, auth = admin) => api.call("PATCH", "/api/users/{id}", { params: { id: String(id) }, body, auth });
const remove = (id: number, auth = admin) => api.call("DELETE", "/api/users/{id}", { params: { id: String(id) }, auth });

describe("/api/users", () => {
  it("lists users with their sessions and tokens, never a hash", async () => {
    const res = await api.call("GET", "/api/users", { auth: admin });
    expect(res.status).toBe(200);
    const list = (res.json as unknown as { users: UserView[] }).users;
    expect(list.map((u) => [u.username, u.role])).toEqual([
      ["olga", "operator"],
      ["root", "admin"],
      ["vic", "viewer"],
    ]);
    expect(list.find((u) => u.username === "vic")).toMatchObject({ sessions: 1, tokens: 1 });
    expect(res.text).not.toMatch(/argon2|hash|password/i);
  });

  it("creates a user who can log in; the name is unique; the password has a minimum", async () => {
    const res = await create({ username: "nina", password: "nina-password-1", role: "operator" });
    expect(res.status).toBe(201);
    expect((await create({ username: "nina", password: "other-password", role: "viewer" })).status).toBe(409);
    const short = await create({ username: "short", password: "short", role: "viewer" });
    expect(short.status).toBe(400);
    expect(short.json.error?.message).toMatch(/^✖ password .+\n {2}→ at password$/);
    const { login } = await import("@/server/auth/login");
    expect((await login({ username: "nina", password: "nina-password-1" }, "192.0.2.50")).user.role).toBe("operator");
  });

  it("a new role or password ends the user's sessions, and is audited without the password", async () => {
    const id = fx.users.operator.id;
    const s1 = createSession(id).token;
    const res = await patch(id, { role: "viewer" });
    expect(res.status).toBe(200);
    expect((res.json as unknown as { user: UserView }).user).toMatchObject({ role: "viewer", sessions: 0 });
    expect(sessionUser(s1)).toBeNull();
    expect(sessionUser(fx.sessions.operator)).toBeNull();
    // Her operator token is revoked with the demotion (a token never has more rights than its owner).
    expect(
      (
        await api.call("POST", "/api/services/{name}/switch", {
          params: { name: "web" },
          body: {},
          auth: { kind: "token", token: fx.tokens.operator },
        })
      ).status,
    ).toBe(401);

    const s2 = createSession(id).token;
    expect((await patch(id, { password: "brand-new-password" })).status).toBe(200);
    expect(sessionUser(s2)).toBeNull();
    const events = api
      .db()
      .select()
      .from(api.schema.events)
      .all()
      .filter((e) => e.action === "user.update");
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[0]!.detail!)).toMatchObject({
      before: { role: "operator" },
      after: { role: "viewer", passwordChanged: false },
    });
    expect(JSON.stringify(events)).not.toMatch(/brand-new-password|argon2/);
    expect((await patch(id, {})).status).toBe(400);
  });

  it("an admin changing their own password keeps the session they use", async () => {
    const other = createSession(fx.users.admin.id).token;
    expect((await patch(fx.users.admin.id, { password: "root-new-password" })).status).toBe(200);
    expect(sessionUser(fx.sessions.admin)?.username).toBe("root");
    expect(sessionUser(other)).toBeNull();
  });

  it("never demotes or deletes the last admin, never deletes yourself", async () => {
    const self = await remove(fx.users.admin.id);
    expect(self.status).toBe(409);
    expect(self.json.error?.message).toMatch(/cannot delete yourself/);
    const demote = await patch(fx.users.admin.id, { role: "operator" });
    expect(demote.status).toBe(409);
    expect(demote.json.error?.message).toMatch(/last admin/);

    const second = (await create({ username: "ada", password: "ada-password-1", role: "admin" })).json as unknown as { user: UserView };
    const adaSession = createSession(second.user.id).token;
    expect((await patch(fx.users.admin.id, { role: "admin" })).status).toBe(200);
    // ada demotes root, then root (now operator) cannot touch users; ada cannot delete herself, the last admin.
    const ada: Credentials = { kind: "session", cookie: adaSession };
    expect((await patch(fx.users.admin.id, { role: "operator" }, ada)).status).toBe(200);
    expect((await api.call("GET", "/api/users", { auth: admin })).status).toBe(401); // root's sessions ended with the change
    expect((await remove(second.user.id, ada)).status).toBe(409);
    expect((await patch(second.user.id, { role: "viewer" }, ada)).json.error?.message).toMatch(/last admin/);
    expect((await patch(fx.users.admin.id, { role: "admin" }, ada)).status).toBe(200);
  });

  it("deleting a user ends their sessions and API tokens", async () => {
    const rootAgain: Credentials = { kind: "session", cookie: createSession(fx.users.admin.id).token };
    expect((await api.call("GET", "/api/me", { auth: { kind: "token", token: fx.tokens.viewer } })).status).toBe(200);
    expect((await remove(fx.users.viewer.id, rootAgain)).status).toBe(200);
    expect((await api.call("GET", "/api/me", { auth: { kind: "token", token: fx.tokens.viewer } })).status).toBe(401);
    expect(sessionUser(fx.sessions.viewer)).toBeNull();
    expect((await remove(fx.users.viewer.id, rootAgain)).status).toBe(404);
    const logged = api
      .db()
      .select()
      .from(api.schema.events)
      .all()
      .filter((e) => e.action === "user.delete");
    expect(JSON.parse(logged[0]!.detail!)).toEqual({ before: { id: fx.users.viewer.id, username: "vic", role: "viewer" } });
  });
});
