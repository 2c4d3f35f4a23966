/**
 * A password reset revokes all of the user's API tokens; a role change
 * revokes the tokens whose role is above the new role (a promotion revokes
 * none). The release log says how many.
 */
import { afterAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { startApi, type Credentials } from "./support/apiHarness";

const api = await startApi("token-revocation", { haproxy: false });
const fx = await api.seed();
const admin: Credentials = { kind: "session", cookie: fx.sessions.admin };
const { createApiToken } = await import("@/server/auth/createApiToken");

afterAll(() => api.close());

const patch = (id: number, body: unknown) => api.call("PATCH", "/api/users/{id}", { params: { id: String(id) }, body, auth: admin });
const me = (token: string) => api.call("GET", "/api/me", { auth: { kind: "token", token } });
const lastUpdate = () => api.db().select().from(api.schema.events).where(eq(api.schema.events.action, "user.update")).all().at(-1)!;

async function userWithTokens(username: string) {
  const u = await api.user(username, "admin");
  const actor = api.actorOf(u, "admin");
  const tokens = {
    admin: createApiToken(actor, { name: "a", role: "admin" }).token,
    operator: createApiToken(actor, { name: "o", role: "operator" }).token,
    viewer: createApiToken(actor, { name: "v", role: "viewer" }).token,
  };
  return { ...u, tokens };
}

describe("changing a user revokes their API tokens", () => {
  it("a role change revokes the tokens above the new role, and logs the count", async () => {
    const u = await userWithTokens("dora");
    expect((await patch(u.id, { role: "operator" })).status).toBe(200);
    expect((await me(u.tokens.admin)).status).toBe(401);
    expect((await me(u.tokens.operator)).status).toBe(200);
    expect((await me(u.tokens.viewer)).status).toBe(200);
    expect(lastUpdate().message).toBe("user dora: role admin → operator; 0 session(s) ended; 1 API token(s) revoked");
    expect(JSON.parse(lastUpdate().detail!)).toMatchObject({ tokensRevoked: 1 });

    expect((await patch(u.id, { role: "viewer" })).status).toBe(200);
    expect((await me(u.tokens.operator)).status).toBe(401);
    expect((await me(u.tokens.viewer)).status).toBe(200);
    expect(JSON.parse(lastUpdate().detail!)).toMatchObject({ tokensRevoked: 1 });

    // A promotion takes nothing away.
    expect((await patch(u.id, { role: "admin" })).status).toBe(200);
    expect((await me(u.tokens.viewer)).status).toBe(200);
    expect(JSON.parse(lastUpdate().detail!)).toMatchObject({ tokensRevoked: 0 });
  });

  it("a password reset revokes every token of that user, and only theirs", async () => {
    const u = await userWithTokens("pete");
    const other = await userWithTokens("quinn");
    expect((await patch(u.id, { password: "pete-new-password" })).status).toBe(200);
    for (const t of Object.values(u.tokens)) expect((await me(t)).status).toBe(401);
    for (const t of Object.values(other.tokens)) expect((await me(t)).status).toBe(200);
    expect(lastUpdate().message).toBe("user pete: new password; 0 session(s) ended; 3 API token(s) revoked");
    const listed = await api.call("GET", "/api/users", { auth: admin });
    const users = (listed.json as unknown as { users: { username: string; tokens: number }[] }).users;
    expect(users.find((x) => x.username === "pete")?.tokens).toBe(0);
    expect(users.find((x) => x.username === "quinn")?.tokens).toBe(3);
  });
});
