/**
 * The login limiter counts an attempt before the password hash is checked, so
 * parallel wrong attempts cannot outrun it; a success clears it; its memory
 * stays bounded.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { LoginRateLimit } from "@/server/auth/loginRateLimit";
import { ORIGIN, startApi } from "./support/apiHarness";

const verified = vi.hoisted(() => ({ count: 0 }));
vi.mock("@/server/auth/password", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/server/auth/password")>();
  return {
    ...real,
    verifyPassword: async (hash: string, password: string) => {
      verified.count++;
      return real.verifyPassword(hash, password);
    },
  };
});

const api = await startApi("login-limit", { haproxy: false });
const fx = await api.seed();
afterAll(() => api.close());

const login = (username: string, password: string, ip: string) =>
  api.call("POST", "/api/auth/login", { body: { username, password }, headers: { origin: ORIGIN, "x-forwarded-for": ip } });

describe("LoginRateLimit", () => {
  it("counts attempts when they begin, refuses past the limit, and a success clears the keys", () => {
    const l = new LoginRateLimit(3, 1000);
    const keys = ["ip:a", "user:x"];
    expect([l.begin(keys, 0), l.begin(keys, 1), l.begin(keys, 2)]).toEqual([0, 0, 0]);
    expect(l.begin(keys, 3)).toBe(997); // until the first attempt (at 0) leaves the window
    expect(l.begin(["ip:b", "user:x"], 500)).toBe(500); // one key at its limit refuses, and counts nothing
    expect(l.retryAfterMs(["ip:b"], 500)).toBe(0);
    expect(l.begin(keys, 1000)).toBe(0); // the first attempt left the window
    l.succeeded(keys);
    expect(l.retryAfterMs(keys, 1001)).toBe(0);
  });

  it("drops expired keys and holds at most maxKeys", () => {
    const l = new LoginRateLimit(5, 1000, 100);
    for (let i = 0; i < 1000; i++) l.begin([`user:spray-${i}`], i);
    expect(l.size()).toBeLessThanOrEqual(100);
    l.begin(["user:late"], 10_000);
    expect(l.size()).toBe(1);
    l.succeeded(["user:late"]);
    expect(l.size()).toBe(0);
  });
});

describe("parallel logins", () => {
  it("20 concurrent wrong passwords: at most 5 reach the hash check, the rest get 429", async () => {
    verified.count = 0;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login("olga", `wrong-password-${i}`, "198.51.100.77")));
    const statuses = answers.map((a) => a.status).sort();
    expect(verified.count).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 401)).toHaveLength(verified.count);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - verified.count);
    // Still refused afterwards, even with the right password, from another address (per-user key).
    expect((await login("olga", fx.users.operator.password, "198.51.100.78")).status).toBe(429);
  });

  it("20 concurrent wrong passwords from one address across users: at most 5 reach the hash check", async () => {
    verified.count = 0;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(`spray-${i}`, "wrong-password-x", "198.51.100.90")));
    expect(verified.count).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(20 - verified.count);
  });

  it("a success clears the user's count", async () => {
    for (let i = 0; i < 4; i++) expect((await login("vic", "wrong-password-x", "198.51.100.99")).status).toBe(401);
    expect((await login("vic", fx.users.viewer.password, "198.51.100.98")).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login("vic", "wrong-password-x", "198.51.100.97")).status).toBe(401);
    expect((await login("vic", "wrong-password-x", "198.51.100.96")).status).toBe(429);
  });

  it("a success does not clear the address's failures: one valid account cannot reset a password spray", async () => {
    const ip = "198.51.100.120";
    for (let i = 0; i < 4; i++) expect((await login(`target-${i}`, "wrong-password-x", ip)).status).toBe(401);
    expect((await login(fx.users.admin.username, fx.users.admin.password, ip)).status).toBe(200);
    // Before the fix the success wiped the address's count and the spray went on.
    expect((await login("target-4", "wrong-password-x", ip)).status).toBe(401);
    expect((await login("target-5", "wrong-password-x", ip)).status).toBe(429);
  });

  it("a success does not count as a failure against the address", async () => {
    const ip = "198.51.100.121";
    for (let i = 0; i < 5; i++) expect((await login(fx.users.admin.username, fx.users.admin.password, ip)).status).toBe(200);
    expect((await login("target-x", "wrong-password-x", ip)).status).toBe(401);
  });
});
