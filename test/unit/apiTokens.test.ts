import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/server/auth/actor";
import type { Role } from "@/server/auth/roles";

// A throwaway SQLite database: set before anything reads the configuration.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-tokens-"));
process.env.SWITCHYARD_DATA_DIR = dataDir;

const { db } = await import("@/db/client");
const { apiTokens, events, users } = await import("@/db/schema");
const { createApiToken } = await import("@/server/auth/createApiToken");
const { listApiTokens } = await import("@/server/auth/listApiTokens");
const { revokeApiToken } = await import("@/server/auth/revokeApiToken");
const { tokenUser } = await import("@/server/auth/apiTokens");
const tokensRoute = await import("@/app/api/tokens/route");
const tokenRoute = await import("@/app/api/tokens/[id]/route");
const openApiRoute = await import("@/app/api/openapi.json/route");

afterAll(() => {
  db().$client.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function user(username: string, role: Role): Actor {
  const row = db().insert(users).values({ username, passwordHash: "x", role, createdAt: new Date() }).returning().get();
  return { userId: row.id, username, role, via: "session", sessionId: "s", ip: "10.0.0.9" };
}

const alice = user("alice", "operator");
const bob = user("bob", "viewer");
const root = user("root", "admin");

function call(url: string, method: string, token: string, body?: unknown) {
  return new NextRequest(`http://localhost${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });

describe("API tokens", () => {
  it("returns the secret once and stores only its hash", () => {
    const { token, apiToken } = createApiToken(alice, { name: "ci", role: "operator" });
    expect(token).toMatch(/^syt_[A-Za-z0-9_-]{40,}$/);
    expect(apiToken).toMatchObject({ name: "ci", role: "operator", owner: "alice", lastUsedAt: null, revokedAt: null });
    const stored = db()
      .select()
      .from(apiTokens)
      .all()
      .find((t) => t.id === apiToken.id);
    expect(stored?.tokenHash).toBeTruthy();
    expect(stored?.tokenHash).not.toContain(token);
    expect(tokenUser(token)).toEqual({ userId: alice.userId, username: "alice", role: "operator", services: null });
  });

  it("refuses a role above the creator's own", () => {
    expect(() => createApiToken(bob, { name: "x", role: "operator" })).toThrow(expect.objectContaining({ code: "FORBIDDEN" }));
    expect(createApiToken(alice, { name: "read", role: "viewer" }).apiToken.role).toBe("viewer");
  });

  it("refuses token creation by a token", () => {
    expect(() => createApiToken({ ...alice, via: "token" }, { name: "x", role: "viewer" })).toThrow(/browser session/);
  });

  it("lists one's own tokens, and every token for an admin, never with a hash or secret", () => {
    createApiToken(bob, { name: "bob-read", role: "viewer" });
    expect(listApiTokens(bob).map((t) => t.name)).toEqual(["bob-read"]);
    expect(listApiTokens(alice).map((t) => t.owner)).toEqual(["alice", "alice"]);
    expect(
      listApiTokens(root)
        .map((t) => t.owner)
        .sort(),
    ).toEqual(["alice", "alice", "bob"]);
    expect(JSON.stringify(listApiTokens(root))).not.toMatch(/hash|syt_/i);
  });

  it("revokes: own or any for admins; unknown is 404, twice is 409", () => {
    const { token, apiToken } = createApiToken(alice, { name: "short-lived", role: "operator" });
    expect(() => revokeApiToken(bob, apiToken.id)).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    expect(() => revokeApiToken(alice, 99_999)).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
    expect(revokeApiToken(root, apiToken.id).revokedAt).toEqual(expect.any(Number));
    expect(() => revokeApiToken(alice, apiToken.id)).toThrow(expect.objectContaining({ code: "CONFLICT" }));
    expect(tokenUser(token)).toBeNull();
  });

  it("records create and revoke in the release log without the secret", () => {
    const { token, apiToken } = createApiToken(alice, { name: "logged", role: "viewer" });
    revokeApiToken(alice, apiToken.id);
    const logged = db()
      .select()
      .from(events)
      .all()
      .filter((e) => e.action.startsWith("token.") && e.message?.includes("'logged'"));
    expect(logged.map((e) => [e.action, e.actor, e.actorRole, e.sourceIp])).toEqual([
      ["token.create", "alice", "operator", "10.0.0.9"],
      ["token.revoke", "alice", "operator", "10.0.0.9"],
    ]);
    expect(JSON.stringify(logged)).not.toContain(token);
  });
});

describe("/api/tokens routes", () => {
  let token = "";
  beforeAll(() => {
    token = createApiToken(alice, { name: "pipeline", role: "operator" }).token;
  });

  it("lets a token list and revoke, but not create, tokens", async () => {
    const list = await tokensRoute.GET(call("/api/tokens", "GET", token), ctx());
    expect(list.status).toBe(200);
    const { tokens } = (await list.json()) as { tokens: { id: number; name: string }[] };
    expect(tokens.map((t) => t.name)).toContain("pipeline");

    const create = await tokensRoute.POST(call("/api/tokens", "POST", token, { name: "more", role: "viewer" }), ctx());
    expect(create.status).toBe(403);
    expect(((await create.json()) as { error: { message: string } }).error.message).toMatch(/create tokens from a browser session/);

    const target = tokens.find((t) => t.name === "read")!;
    const revoked = await tokenRoute.DELETE(call(`/api/tokens/${target.id}`, "DELETE", token), ctx({ id: String(target.id) }));
    expect(revoked.status).toBe(200);
    const again = await tokenRoute.DELETE(call(`/api/tokens/${target.id}`, "DELETE", token), ctx({ id: String(target.id) }));
    expect(again.status).toBe(409);
    const bad = await tokenRoute.DELETE(call("/api/tokens/abc", "DELETE", token), ctx({ id: "abc" }));
    expect(bad.status).toBe(400);
  });

  it("serves the OpenAPI document without credentials", async () => {
    const res = await openApiRoute.GET(new NextRequest("http://localhost/api/openapi.json"), ctx());
    expect(res.status).toBe(200);
    expect(((await res.json()) as { openapi: string }).openapi).toBe("3.1.0");
  });
});
