/**
 * What the route tests and the fuzz test send to each catalog route: a valid
 * body, and path parameters that are well-formed, unknown or malformed.
 *
 * A new route whose body schema rejects `{}` needs an entry in BODY_EXAMPLES
 * (the route tests fail and say so); everything else is derived.
 */
import type { ZodType } from "zod";
import type { ApiRoute } from "@/server/http/apiCatalog";
import { serviceSpec } from "./apiHarness";

export const BODY_EXAMPLES: Record<string, unknown> = {
  "POST /api/setup": { username: "first-admin", password: "a-long-password" },
  "POST /api/auth/login": { username: "nobody", password: "not-the-password" },
  "POST /api/tokens": { name: "example-token", role: "viewer" },
  "POST /api/users": { username: "example-user", password: "a-long-password", role: "viewer" },
  "PATCH /api/users/{id}": { role: "viewer" },
  "POST /api/hosts": { name: "example-host", url: "unix:///nonexistent/docker.sock" },
  "PATCH /api/hosts/{id}": { url: "unix:///nonexistent/other.sock" },
  // Loopback port 1: refused at once (503), never a connection off this machine.
  "POST /api/hosts/host-key": { url: "ssh://nobody@127.0.0.1:1" },
  // Loopback port 9 (discard): nothing leaves this machine even if a delivery were attempted.
  "POST /api/webhooks": { url: "http://127.0.0.1:9/hooks", events: ["release.switched"] },
  "PATCH /api/webhooks/{id}": { enabled: false },
  "POST /api/services": serviceSpec("example-svc"),
  "PUT /api/services/{name}": serviceSpec("web"),
  "POST /api/services/import": { content: "name: example-import\n" },
  "POST /api/services/{name}/deploy": { image: "1.0.0" },
  "POST /api/services/{name}/shift": { weight: 10 },
  "POST /api/drift/ignore-rules": { pattern: "/tmp/example", note: "example" },
  "PATCH /api/drift/ignore-rules/{id}": { note: "changed" },
  "POST /api/quarantines": { hostId: 1, container: "abcdef123456", reason: "example" },
  "POST /api/quarantines/{id}/extend": { addS: 60 },
  "POST /api/quarantines/{id}/cancel": { reason: "example" },
  "POST /api/quarantines/{id}/exec": { argv: ["ps"] },
  "POST /api/hosts/{id}/containers/{container}/console": { shell: "ps" },
};

export const routeKey = (r: Pick<ApiRoute, "method" | "path">) => `${r.method} ${r.path}`;

/** A body the route's schema accepts, or undefined when the route reads no body. Throws for a new route without an example. */
export function validBody(r: ApiRoute): unknown {
  if (!r.body) return undefined;
  const key = routeKey(r);
  if (key in BODY_EXAMPLES) return BODY_EXAMPLES[key];
  if (r.body.safeParse({}).success) return {};
  throw new Error(`${key}: add a valid example body to BODY_EXAMPLES in test/unit/support/routeExamples.ts`);
}

/** Values that pass the param schemas (whether or not the thing exists). */
const WELL_FORMED: Record<string, string> = { id: "1", deliveryId: "1", name: "web", host: "dead", container: "web-1" };
/** Well-formed values that name nothing. */
const UNKNOWN: Record<string, string> = {
  id: "987654321",
  deliveryId: "987654321",
  name: "no-such-service",
  host: "no-such-host",
  container: "no-such-container",
};
/** Values every param schema must refuse. */
const MALFORMED: Record<string, string> = {
  id: "abc",
  deliveryId: "-1",
  name: "Not A Name!",
  host: "../etc",
  container: "../../etc/passwd",
};

export function pathParams(r: ApiRoute): string[] {
  return [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

function paramsFrom(r: ApiRoute, table: Record<string, string>, fallback: string): Record<string, string> {
  return Object.fromEntries(pathParams(r).map((p) => [p, table[p] ?? fallback]));
}

export const wellFormedParams = (r: ApiRoute) => paramsFrom(r, WELL_FORMED, "x1");
export const unknownParams = (r: ApiRoute) => paramsFrom(r, UNKNOWN, "zz-unknown-1");
/** One param malformed (the others well-formed), for each param of the path. */
export function malformedParams(r: ApiRoute): { param: string; params: Record<string, string> }[] {
  return pathParams(r).map((p) => ({ param: p, params: { ...wellFormedParams(r), [p]: MALFORMED[p] ?? "\u0000/../bad" } }));
}

/** Queries for routes whose query schema has a required field. */
export const QUERY_EXAMPLES: Record<string, string> = {
  "GET /api/drift/hosts/{host}/containers/{container}/file": "path=%2Fetc%2Fhostname",
  "DELETE /api/services/{name}/volumes/{volume}": "host=no-such-host",
  "GET /api/services/{name}/releases/diff": "from=1&to=2",
  "GET /api/services/{name}/traffic": "range=1h",
};

/** A query string the route's schema accepts. Throws for a new route with required query fields and no example. */
export function validQuery(r: ApiRoute): string {
  const key = routeKey(r);
  if (key in QUERY_EXAMPLES) return QUERY_EXAMPLES[key]!;
  if (!r.query || r.query.safeParse({}).success) return "";
  throw new Error(`${key}: add a valid example query to QUERY_EXAMPLES in test/unit/support/routeExamples.ts`);
}

/** The first top-level property of an example body, replaced by a value of the wrong type. */
export function badBody(r: ApiRoute): { body: unknown; path: string } {
  const good = validBody(r);
  if (good && typeof good === "object" && !Array.isArray(good) && Object.keys(good).length > 0) {
    const [field, value] = Object.entries(good)[0]!;
    const wrong = typeof value === "number" ? "not-a-number" : typeof value === "string" ? { not: "a string" } : 12345;
    return { body: { ...(good as Record<string, unknown>), [field]: wrong }, path: field };
  }
  return { body: { unexpectedField: 1 }, path: "unexpectedField" };
}

export const acceptsEmpty = (schema: ZodType | undefined) => !schema || schema.safeParse({}).success;
