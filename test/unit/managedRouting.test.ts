/** Issue 12, managed routing: the spec, the rendered include file and the master CLI's `show proc`. */
import { describe, expect, it } from "vitest";
import {
  renderManagedConfig,
  managedStructure,
  structureOfFile,
  escapeWord,
  type ManagedService,
} from "@/server/routing/managed/renderManagedConfig";
import { parseShowProc } from "@/server/routing/managed/masterCli";
import { ServiceSpec } from "@/server/services/serviceSpecInput";
import { assertBackendsDistinct, assertBackendsFree, sameRouting } from "@/server/services/backendOwnership";
import { newServiceState, stateFromSpec, type FormState } from "@/components/services/form/formState";
import { validateForm } from "@/components/services/form/validateForm";

const base = { name: "web", image: "127.0.0.1:5000/web", placement: [{ host: "alpha", replicas: 1 }] };
const issues = (input: unknown) => {
  const r = ServiceSpec.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("managed routing in the spec", () => {
  it("generates the backend names, so routing keeps working by backend name", () => {
    const spec = ServiceSpec.parse({ ...base, haproxy: { managed: { bind: "127.0.0.1:18200", previewBind: "127.0.0.1:18201" } } });
    expect(spec.haproxy).toEqual({
      backend: "sy-web",
      previewBackend: "sy-web.preview",
      managed: { bind: "127.0.0.1:18200", previewBind: "127.0.0.1:18201", mode: "http" },
    });
    // The stored spec parses again to itself (import/export, serviceRows).
    expect(ServiceSpec.parse(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
    const noPreview = ServiceSpec.parse({ ...base, haproxy: { managed: { bind: "127.0.0.1:18200" } } });
    expect(noPreview.haproxy).toEqual({ backend: "sy-web", managed: { bind: "127.0.0.1:18200", mode: "http" } });
  });

  it("keeps existing backends as they were", () => {
    expect(ServiceSpec.parse({ ...base, haproxy: { backend: "it-web", previewBackend: "it-web-preview" } }).haproxy).toEqual({
      backend: "it-web",
      previewBackend: "it-web-preview",
    });
    expect(issues({ ...base, haproxy: {} })).toEqual([
      "haproxy.backend: haproxy: name an existing backend, or choose managed routing with managed: { bind }",
    ]);
  });

  it("refuses bad binds, a tcp mode with an http check, and hand-picked names for managed backends", () => {
    expect(issues({ ...base, haproxy: { managed: { bind: "localhost:80" } } })[0]).toMatch(/bind: an IP address and port/);
    expect(issues({ ...base, haproxy: { managed: { bind: "127.0.0.1:70000" } } })[0]).toMatch(/port must be 1..65535/);
    expect(issues({ ...base, haproxy: { managed: { bind: "127.0.0.1:18200", mode: "tcp" } } })).toEqual([
      "haproxy.managed.mode: managed.mode tcp needs a tcp or exec health check: HAProxy cannot run HTTP checks on a tcp backend",
    ]);
    expect(issues({ ...base, healthCheck: { kind: "tcp" }, haproxy: { managed: { bind: "127.0.0.1:18200", mode: "tcp" } } })).toEqual([]);
    expect(issues({ ...base, haproxy: { backend: "mine", managed: { bind: "127.0.0.1:18200" } } })).toEqual([
      "haproxy.backend: managed routing names its backend sy-web: leave backend out",
    ]);
    expect(issues({ ...base, haproxy: { managed: { bind: "127.0.0.1:18200", previewBind: "0.0.0.0:18200" } } })).toEqual([
      "haproxy.managed.previewBind: managed.previewBind must use another port than managed.bind",
    ]);
  });

  it("gives a port to one managed service only", () => {
    const web = ServiceSpec.parse({ ...base, haproxy: { managed: { bind: "127.0.0.1:18200", previewBind: "127.0.0.1:18201" } } });
    const api = ServiceSpec.parse({ ...base, name: "api", haproxy: { managed: { bind: "0.0.0.0:18201" } } });
    expect(() => assertBackendsFree(api, [{ name: "web", spec: web }])).toThrow(
      "Port 18201 (bind 0.0.0.0:18201) is already bound by managed service 'web' (127.0.0.1:18201); choose another port.",
    );
    expect(() => assertBackendsDistinct([web, api])).toThrow("Port 18201 is bound by both managed services 'web' and 'api'");
    const moved = ServiceSpec.parse({ ...base, haproxy: { managed: { bind: "127.0.0.1:18300", previewBind: "127.0.0.1:18201" } } });
    expect(sameRouting(web, moved)).toBe(false);
    expect(sameRouting(web, ServiceSpec.parse(JSON.parse(JSON.stringify(web))))).toBe(true);
  });
});

const web: ManagedService = {
  service: "web",
  mode: "http",
  bind: "127.0.0.1:18200",
  previewBind: "127.0.0.1:18201",
  backend: "sy-web",
  previewBackend: "sy-web.preview",
  check: { kind: "http", path: "/health", expectStatus: 200, inter: 300 },
  servers: [
    { name: "r2-alpha-1", address: "127.0.0.1", port: 20002, weight: 0, state: "ready" },
    { name: "r1-alpha-1", address: "127.0.0.1", port: 20001, weight: 100, state: "ready" },
    { name: "r0-alpha-1", address: "127.0.0.1", port: 20000, weight: 100, state: "drain" },
    { name: "r9-beta-1", address: "::1", port: 20009, weight: 50, state: "maint" },
  ],
  previewServers: [{ name: "r2-alpha-1", address: "127.0.0.1", port: 20002, weight: 100, state: "ready" }],
};
const db: ManagedService = {
  service: "db",
  mode: "tcp",
  bind: "127.0.0.1:18300",
  backend: "sy-db",
  check: { kind: "tcp", inter: 500 },
  servers: [{ name: "r1-alpha-1", address: "127.0.0.1", port: 20100, weight: 100, state: "ready" }],
  previewServers: [],
};

describe("the rendered include file", () => {
  const text = renderManagedConfig([web, db]);
  const section = (header: string) => {
    const start = text.indexOf(`\n${header}\n`) + 1;
    expect(start, `${header} in\n${text}`).toBeGreaterThan(0);
    const end = text.indexOf("\n\n", start);
    return text.slice(start, end === -1 ? undefined : end).split("\n");
  };

  it("writes an http frontend and backend with the health path and every current server", () => {
    expect(section("frontend fe.sy-web")).toEqual([
      "frontend fe.sy-web",
      "    mode http",
      "    bind 127.0.0.1:18200",
      "    http-response set-header X-Switchyard-Server %s",
      "    default_backend sy-web",
    ]);
    expect(section("backend sy-web")).toEqual([
      "backend sy-web",
      "    mode http",
      "    balance roundrobin",
      "    option httpchk GET /health",
      "    http-check expect status 200",
      "    server r0-alpha-1 127.0.0.1:20000 check inter 300 fall 2 rise 1 weight 0  # drain",
      "    server r1-alpha-1 127.0.0.1:20001 check inter 300 fall 2 rise 1 weight 100",
      "    server r2-alpha-1 127.0.0.1:20002 check inter 300 fall 2 rise 1 weight 0",
      "    server r9-beta-1 [::1]:20009 check inter 300 fall 2 rise 1 weight 50 disabled",
    ]);
    expect(section("frontend fe.sy-web.preview")).toContain("    default_backend sy-web.preview");
    expect(section("backend sy-web.preview")).toContain("    server r2-alpha-1 127.0.0.1:20002 check inter 300 fall 2 rise 1 weight 100");
  });

  it("writes a tcp service without HTTP checks or headers", () => {
    expect(section("frontend fe.sy-db")).toEqual([
      "frontend fe.sy-db",
      "    mode tcp",
      "    bind 127.0.0.1:18300",
      "    default_backend sy-db",
    ]);
    expect(section("backend sy-db")).toEqual([
      "backend sy-db",
      "    mode tcp",
      "    balance roundrobin",
      "    server r1-alpha-1 127.0.0.1:20100 check inter 500 fall 2 rise 1 weight 100",
    ]);
    expect(text).not.toContain("fe.sy-db.preview");
  });

  it("escapes what HAProxy's parser treats specially in a health path", () => {
    expect(escapeWord(`/a#b'c"d$e\\f`)).toBe(`/a\\#b\\'c\\"d\\$e\\\\f`);
    const odd = renderManagedConfig([{ ...web, check: { kind: "http", path: "/h#x", expectStatus: 204, inter: 300 } }]);
    expect(odd).toContain("    option httpchk GET /h\\#x\n    http-check expect status 204\n");
  });

  it("changes its structure hash only when frontends or backends change (servers move through the runtime API)", () => {
    const hash = structureOfFile(text);
    expect(hash).toBe(managedStructure([web, db]));
    const reweighted = { ...web, servers: web.servers.map((s) => ({ ...s, weight: 7, state: "ready" as const })) };
    expect(managedStructure([db, reweighted])).toBe(hash);
    expect(managedStructure([{ ...web, servers: web.servers.slice(1), previewServers: [] }, db])).toBe(hash);
    expect(managedStructure([web])).not.toBe(hash);
    expect(managedStructure([{ ...web, bind: "127.0.0.1:18202" }, db])).not.toBe(hash);
    expect(managedStructure([{ ...db, mode: "http" }, web])).not.toBe(hash);
    expect(managedStructure([{ ...web, check: { kind: "http", path: "/ready", expectStatus: 200, inter: 300 } }, db])).not.toBe(hash);
    expect(structureOfFile("")).toBeNull();
    expect(renderManagedConfig([])).toMatch(/^# Managed by Switchyard[\s\S]*\ndefaults\n/);
  });
});

describe("show proc of the master CLI", () => {
  it("reads the reload counters and the workers, newest first", () => {
    const text = [
      "#<PID>          <type>          <reloads>       <uptime>        <version>      ",
      "10322           master          2 [failed: 1]   0d00h00m21s     2.6.12-1+deb12u4",
      "# workers",
      "10500           worker          1               0d00h00m17s     2.6.12-1+deb12u4",
      "10601           worker          0               0d00h00m01s     2.6.12-1+deb12u4",
      "# programs",
      "",
    ].join("\n");
    expect(parseShowProc(text)).toEqual({
      reloads: 2,
      failed: 1,
      workers: [
        { pid: 10601, reloads: 0 },
        { pid: 10500, reloads: 1 },
      ],
    });
    expect(() => parseShowProc("Unknown command")).toThrow(/unexpected 'show proc'/);
  });
});

describe("the service form's managed routing", () => {
  const draft = (patch: Partial<FormState>): FormState => ({
    ...newServiceState(["alpha"]),
    name: "web",
    image: "127.0.0.1:5000/demo-web",
    routing: "managed",
    ...patch,
  });

  it("sends managed routing and reads it back", () => {
    const r = validateForm(draft({ managedBind: "127.0.0.1:18200", managedPreviewBind: "127.0.0.1:18201" }));
    expect(r.errors).toBeNull();
    expect(r.spec!.haproxy).toEqual({
      backend: "sy-web",
      previewBackend: "sy-web.preview",
      managed: { bind: "127.0.0.1:18200", previewBind: "127.0.0.1:18201", mode: "http" },
    });
    const back = stateFromSpec(ServiceSpec.parse(r.spec), ["alpha"]);
    expect(back).toMatchObject({
      routing: "managed",
      managedBind: "127.0.0.1:18200",
      managedPreviewBind: "127.0.0.1:18201",
      managedMode: "http",
      backend: "",
    });
  });

  it("puts bind, preview bind and mode errors on their fields", () => {
    expect(validateForm(draft({ managedBind: "web:80" })).errors).toEqual({
      managedBind: "bind: an IP address and port like 127.0.0.1:18200 or [::1]:18200",
    });
    expect(validateForm(draft({ managedBind: "127.0.0.1:18200", managedPreviewBind: "127.0.0.1:18200" })).errors).toEqual({
      managedPreviewBind: "managed.previewBind must use another port than managed.bind",
    });
    expect(validateForm(draft({ managedBind: "127.0.0.1:18200", managedMode: "tcp" })).errors).toEqual({
      managedMode: "managed.mode tcp needs a tcp or exec health check: HAProxy cannot run HTTP checks on a tcp backend",
    });
  });
});
