import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_CATALOG, HTTP_METHODS } from "@/server/http/apiCatalog";
import { openApiDocument } from "@/server/http/openApiDocument";

const API_DIR = path.resolve(__dirname, "../../app/api");
const CATCH_ALL = "[...path]";

/** app/api/services/[name]/deploy/route.ts → /api/services/{name}/deploy */
function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return dir === API_DIR && e.name === CATCH_ALL ? [] : routeFiles(full);
    return e.name === "route.ts" ? [full] : [];
  });
}

function openApiPath(file: string): string {
  const rel = path.relative(API_DIR, path.dirname(file)).split(path.sep).filter(Boolean);
  return "/" + ["api", ...rel.map((seg) => seg.replace(/^\[(\w+)\]$/, "{$1}"))].join("/");
}

/** The HTTP methods a route file exports: `export const GET`, `export async function POST`, `export { x as DELETE }`. */
function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of HTTP_METHODS) {
    const direct = new RegExp(`export\\s+(?:const|let|(?:async\\s+)?function)\\s+${m}\\b`);
    const aliased = new RegExp(`export\\s*\\{[^}]*\\b(?:as\\s+)?${m}\\b[^}]*\\}`);
    if (direct.test(source) || aliased.test(source)) found.add(m);
  }
  return [...found];
}

const fromFiles = routeFiles(API_DIR)
  .flatMap((file) => exportedMethods(fs.readFileSync(file, "utf8")).map((m) => `${m} ${openApiPath(file)}`))
  .sort();
/** `export const POST = route({ role: "operator", …` → role per method, as the route handler enforces it. */
function declaredRoles(source: string): Map<string, string> {
  return new Map([...source.matchAll(/export\s+const\s+(\w+)\s*=\s*route\(\s*\{\s*role:\s*"(\w+)"/g)].map((m) => [m[1]!, m[2]!]));
}

const fromCatalog = API_CATALOG.map((r) => `${r.method} ${r.path}`).sort();

describe("API catalog", () => {
  it("finds the route files", () => {
    expect(fromFiles.length).toBeGreaterThan(10);
    expect(fromFiles).toContain("POST /api/services/{name}/redeploy");
  });

  it("lists every exported route handler", () => {
    expect(fromFiles.filter((r) => !fromCatalog.includes(r))).toEqual([]);
  });

  it("lists nothing that has no route handler", () => {
    expect(fromCatalog.filter((r) => !fromFiles.includes(r))).toEqual([]);
  });

  it("gives each operation the role its route handler requires", () => {
    let checked = 0;
    for (const file of routeFiles(API_DIR)) {
      for (const [method, role] of declaredRoles(fs.readFileSync(file, "utf8"))) {
        const entry = API_CATALOG.find((r) => r.method === method && r.path === openApiPath(file));
        expect(entry?.role, `${method} ${openApiPath(file)}`).toBe(role);
        checked++;
      }
    }
    expect(checked).toBe(fromFiles.length);
  });

  it("marks sessionOnly every operation whose route handler refuses API tokens", () => {
    for (const file of routeFiles(API_DIR)) {
      const source = fs.readFileSync(file, "utf8");
      for (const [, method, options] of source.matchAll(/export\s+const\s+(\w+)\s*=\s*route\(\s*\{([^}]*)\}/g)) {
        if (!/sessionOnly:\s*true/.test(options!)) continue;
        const entry = API_CATALOG.find((r) => r.method === method && r.path === openApiPath(file));
        expect(entry?.sessionOnly, `${method} ${openApiPath(file)}`).toBe(true);
      }
    }
  });

  it("lists each operation once", () => {
    expect(new Set(fromCatalog).size).toBe(fromCatalog.length);
  });

  it("names every path parameter of a path in its params schema", () => {
    for (const r of API_CATALOG) {
      const inPath = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(inPath.length > 0, `${r.method} ${r.path} params`).toBe(Boolean(r.params));
    }
  });
});

describe("OpenAPI document", () => {
  const doc = openApiDocument();
  const operations = Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).map(([method, op]) => ({ p, method, op })));

  it("is OpenAPI 3.1 with info and security schemes", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["bearerAuth", "cookieAuth"]);
    expect(doc.components.schemas.ErrorEnvelope).toMatchObject({ type: "object", required: ["error"] });
  });

  it("has one operation per catalog entry, each with responses", () => {
    expect(operations).toHaveLength(API_CATALOG.length);
    for (const { p, method, op } of operations) {
      expect(HTTP_METHODS.map((m) => m.toLowerCase())).toContain(method);
      const responses = op.responses as Record<string, unknown>;
      expect(Object.keys(responses), `${method} ${p}`).toEqual(expect.arrayContaining(["400", "401", "403", "404", "409"]));
      expect(
        Object.keys(responses).some((s) => /^2\d\d$/.test(s)),
        `${method} ${p} success`,
      ).toBe(true);
    }
  });

  it("declares every path template parameter as a required path parameter", () => {
    for (const { p, method, op } of operations) {
      const params = (op.parameters as { name: string; in: string; required: boolean }[]).filter((x) => x.in === "path");
      const names = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(params.map((x) => x.name).sort(), `${method} ${p}`).toEqual(names.sort());
      expect(params.every((x) => x.required)).toBe(true);
    }
  });

  it("resolves every $ref inside the document", () => {
    const json = JSON.stringify(doc);
    for (const [, ref] of json.matchAll(/"\$ref":"([^"]+)"/g)) {
      const target = ref!
        .replace(/^#\//, "")
        .split("/")
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it("documents the request bodies from the routes' zod schemas", () => {
    const create = doc.paths["/api/tokens"]?.post as {
      requestBody: { content: { "application/json": { schema: { properties: Record<string, unknown>; required: string[] } } } };
      security: unknown[];
    };
    const schema = create.requestBody.content["application/json"].schema;
    expect(Object.keys(schema.properties).sort()).toEqual(["name", "role", "services"]);
    expect(schema.required.sort()).toEqual(["name", "role"]);
    expect(create.security).toEqual([{ cookieAuth: [] }]);
    expect(doc.paths["/api/openapi.json"]?.get?.security).toEqual([]);
  });
});
