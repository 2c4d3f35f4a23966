/** A token limited to services reads logs, transcripts and bundles only of its services. */
import { describe, expect, it } from "vitest";
import { assertMayReadServiceData } from "@/server/auth/serviceScope";
import type { Actor } from "@/server/auth/actor";

const actor = (services: string[] | null): Actor => ({
  userId: 1,
  username: "ci",
  role: "operator",
  via: "token",
  ip: "127.0.0.1",
  services,
});

describe("assertMayReadServiceData", () => {
  it("lets an unscoped actor read anything, a scoped one only its services", () => {
    expect(() => assertMayReadServiceData(actor(null), "web", "the logs")).not.toThrow();
    expect(() => assertMayReadServiceData(actor(null), null, "the logs")).not.toThrow();
    expect(() => assertMayReadServiceData(actor(["web"]), "web", "the logs")).not.toThrow();
    expect(() => assertMayReadServiceData(actor(["web"]), "db", "the logs")).toThrow(/limited to web; it may not read the logs of db/);
    expect(() => assertMayReadServiceData(actor(["web"]), null, "the logs")).toThrow(/limited to web/);
  });
});
