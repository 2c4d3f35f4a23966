/**
 * Issue 11: health checks beyond HTTP (tcp, exec) and services without
 * HAProxy routing. Before: the schema had no `kind` (tcp/exec specs were
 * refused as unknown keys) and `haproxy` was required.
 */
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthCheck, ServiceSpec } from "@/server/services/serviceSpecInput";
import { describeCheck, execFailure, tcpProbe, EXEC_OUTPUT_LIMIT } from "@/server/releases/healthGate";
import { explainCheckMismatch, haproxyCheckKind } from "@/server/routing/haproxyCheck";
import { HaproxyServersDown } from "@/server/haproxy/errors";
import { assertBackendsDistinct, assertBackendsFree, sameRouting } from "@/server/services/backendOwnership";

const base = { name: "web", image: "registry:5000/web", placement: [{ host: "local", replicas: 1 }] };
const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);

describe("healthCheck.kind schema", () => {
  it("parses an existing spec without kind unchanged, as http", () => {
    const old = { path: "/ready", expectStatus: 204, intervalMs: 300, timeoutMs: 1000, healthyAfter: 2, gateTimeoutS: 10 };
    expect(HealthCheck.parse(old)).toEqual({ kind: "http", ...old });
    const spec = ServiceSpec.parse({ ...base, haproxy: { backend: "web" }, healthCheck: old });
    expect(spec.healthCheck).toEqual({ kind: "http", ...old });
    expect(ServiceSpec.parse({ ...base, haproxy: { backend: "web" } }).healthCheck).toMatchObject({
      kind: "http",
      path: "/health",
      expectStatus: 200,
    });
  });

  it("takes a tcp check with timing only and refuses a path on it", () => {
    expect(HealthCheck.parse({ kind: "tcp", timeoutMs: 500 })).toEqual({
      kind: "tcp",
      intervalMs: 500,
      timeoutMs: 500,
      healthyAfter: 2,
      gateTimeoutS: 30,
    });
    const r = HealthCheck.safeParse({ kind: "tcp", path: "/health" });
    expect(r.success).toBe(false);
    expect(issues(r)).toEqual([": health check kind tcp only connects to the port: remove path"]);
  });

  it("needs a non-empty command list for exec", () => {
    expect(HealthCheck.parse({ kind: "exec", command: ["pg_isready", "-q"] })).toMatchObject({
      kind: "exec",
      command: ["pg_isready", "-q"],
    });
    for (const bad of [{ kind: "exec" }, { kind: "exec", command: [] }]) {
      expect(issues(HealthCheck.safeParse(bad))).toEqual(['command: an exec health check needs command, a list like ["pg_isready"]']);
    }
    expect(issues(HealthCheck.safeParse({ kind: "exec", command: "pg_isready" }))).toEqual([
      "command: exec check command: a list of strings",
    ]);
    expect(issues(HealthCheck.safeParse({ kind: "exec", command: ["pg_isready", ""] }))).toEqual(["command.1: exec check: empty argument"]);
  });

  it("names the kinds for an unknown kind", () => {
    expect(issues(HealthCheck.safeParse({ kind: "grpc" }))).toEqual(["kind: health check kind: http (the default), tcp or exec"]);
  });
});

describe("haproxy optional", () => {
  it("parses a spec without haproxy; previewBackend still must differ when given", () => {
    expect(ServiceSpec.parse(base).haproxy).toBeUndefined();
    expect(issues(ServiceSpec.safeParse({ ...base, haproxy: { backend: "a", previewBackend: "a" } }))).toEqual([
      "haproxy.previewBackend: preview backend must differ from the live backend",
    ]);
  });

  it("backend ownership: a service without routing claims no backend", () => {
    const unrouted = ServiceSpec.parse(base);
    const routed = ServiceSpec.parse({ ...base, name: "api", haproxy: { backend: "web" } });
    expect(() => assertBackendsFree(unrouted, [{ name: "api", spec: routed }])).not.toThrow();
    expect(() => assertBackendsFree(routed, [{ name: "web", spec: unrouted }])).not.toThrow();
    expect(() => assertBackendsDistinct([unrouted, ServiceSpec.parse({ ...base, name: "worker" }), routed])).not.toThrow();
    expect(sameRouting(unrouted, ServiceSpec.parse({ ...base, name: "worker" }))).toBe(true);
    expect(sameRouting(unrouted, routed)).toBe(false);
  });
});

describe("gate logic", () => {
  it("describes each kind for step names and failures", () => {
    expect(describeCheck(HealthCheck.parse({}))).toBe("GET /health → 200");
    expect(describeCheck(HealthCheck.parse({ kind: "tcp" }), { address: "127.0.0.1", port: 18123 })).toBe("TCP connect 127.0.0.1:18123");
    expect(describeCheck(HealthCheck.parse({ kind: "exec", command: ["pg_isready", "-q"] }))).toBe("exec pg_isready -q");
  });

  it("an exec check passes on exit 0 only and keeps the first KB of output", () => {
    expect(execFailure(0, "fine")).toBeNull();
    expect(execFailure(1, "no response\n")).toBe("exited 1: no response");
    expect(execFailure(2, "")).toBe("exited 2 (no output)");
    expect(execFailure(null, "")).toBe("did not report an exit code (no output)");
    const long = execFailure(1, "x".repeat(5000))!;
    expect(long).toBe(`exited 1: ${"x".repeat(EXEC_OUTPUT_LIMIT)}…`);
  });

  describe("tcp probe", () => {
    let server: Server;
    let port = 0;
    beforeAll(async () => {
      server = createServer((s) => s.end());
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("passes when the port accepts, says refused when nothing listens", async () => {
      expect(await tcpProbe("127.0.0.1", port, 1000)()).toBeNull();
      const closed = createServer();
      await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
      const freed = (closed.address() as { port: number }).port;
      await new Promise<void>((r) => closed.close(() => r()));
      expect(await tcpProbe("127.0.0.1", freed, 1000)()).toBe("connection refused");
    });
  });
});

describe("HAProxy's check follows the kind", () => {
  it("tcp and exec get a TCP check; a backend running HTTP checks is named with the fix", () => {
    expect(haproxyCheckKind(HealthCheck.parse({}))).toBe("http");
    expect(haproxyCheckKind(HealthCheck.parse({ kind: "tcp" }))).toBe("tcp");
    expect(haproxyCheckKind(HealthCheck.parse({ kind: "exec", command: ["true"] }))).toBe("tcp");
    const down = new HaproxyServersDown("db", [{ name: "r1-alpha-1", why: "down, check L7STS" }], 5000);
    const explained = explainCheckMismatch(down, HealthCheck.parse({ kind: "tcp" }), "db") as Error;
    expect(explained.message).toMatch(
      /Backend db checks its servers by HTTP \(option httpchk in haproxy\.cfg\), but this service's health check is tcp/,
    );
    expect(explained.message).toMatch(/Remove "option httpchk"/);
    // An http service, or a tcp service whose servers fail a TCP check, keeps the original error.
    expect(explainCheckMismatch(down, HealthCheck.parse({}), "db")).toBe(down);
    const l4 = new HaproxyServersDown("db", [{ name: "r1-alpha-1", why: "down, check L4CON" }], 5000);
    expect(explainCheckMismatch(l4, HealthCheck.parse({ kind: "tcp" }), "db")).toBe(l4);
  });
});
