import "server-only";
import { z, type ZodType } from "zod";
import { ERROR_CODES } from "@/server/errors";
import { SESSION_COOKIE } from "@/server/auth/sessions";
import pkg from "@/package.json";
import { API_CATALOG, type ApiRoute } from "./apiCatalog";
import type { ErrorEnvelope as ErrorEnvelopeType } from "./errorResponse";

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

/** The one error envelope every route answers with (server/http/errorResponse.ts). */
const ErrorEnvelope = z
  .object({
    error: z.object({
      code: z.enum([...(Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]), "INTERNAL"]),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ description: "Every error: a code, a human message and, for validation errors, the failing fields." });
// Compile-time check that this schema still describes what errorResponse() sends.
const _envelopeMatches: ErrorEnvelopeType = {} as z.infer<typeof ErrorEnvelope>;

/** Reusable error responses; every operation lists them. */
const ERROR_RESPONSES = {
  "400": { name: "BadRequest", description: "Invalid params, query or body (code VALIDATION, with issues)." },
  "401": { name: "Unauthenticated", description: "No session or API token, or a wrong/revoked one." },
  "403": { name: "Forbidden", description: "Authenticated, but the role is too low or the request is refused." },
  "404": { name: "NotFound", description: "The thing addressed does not exist." },
  "409": { name: "Conflict", description: "The current state does not allow this change." },
} as const;

const SUCCESS_TEXT: Record<number, string> = { 200: "OK", 201: "Created", 202: "Accepted: the operation goes on in the background" };

/** zod → JSON Schema (draft 2020-12, OpenAPI 3.1's dialect) of what a client sends. */
function inputSchema(schema: ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: "input" }) as JsonSchema;
  return json;
}

/** An object schema of path or query fields becomes OpenAPI parameters. */
function parameters(schema: ZodType | undefined, where: "path" | "query", route: ApiRoute) {
  if (!schema) return [];
  const json = inputSchema(schema);
  const properties = json.properties as Record<string, JsonSchema> | undefined;
  if (json.type !== "object" || !properties) throw new Error(`${route.method} ${route.path}: ${where} schema must be a zod object`);
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: where, required: where === "path" || required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

function security(route: ApiRoute) {
  if (route.role === "public") return [];
  return route.sessionOnly ? [{ cookieAuth: [] }] : [{ bearerAuth: [] }, { cookieAuth: [] }];
}

function operation(route: ApiRoute): Operation {
  const tag = route.path.split("/")[2]?.replace(/\.json$/, "") ?? "api";
  const who =
    route.role === "public"
      ? "No authentication needed."
      : `Needs the ${route.role} role${route.sessionOnly ? ", from a browser session" : ""}.`;
  const produces = route.produces ?? ["application/json"];
  const success = Object.fromEntries(
    (route.success ?? [200]).map((status) => [
      String(status),
      { description: SUCCESS_TEXT[status] ?? "OK", content: Object.fromEntries(produces.map((type) => [type, {}])) },
    ]),
  );
  const errors = Object.fromEntries(
    Object.entries(ERROR_RESPONSES).map(([status, r]) => [status, { $ref: `#/components/responses/${r.name}` }]),
  );
  return {
    operationId: operationId(route),
    summary: route.summary,
    description: [route.description, who].filter(Boolean).join("\n\n"),
    tags: [tag],
    "x-switchyard-role": route.role,
    security: security(route),
    parameters: [...parameters(route.params, "path", route), ...parameters(route.query, "query", route)],
    ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: inputSchema(route.body) } } } } : {}),
    responses: { ...success, ...errors, default: { $ref: "#/components/responses/Error" } },
  };
}

/** POST /api/services/{name}/deploy → postServicesByNameDeploy */
function operationId(route: ApiRoute): string {
  const words = route.path
    .replace(/^\/api\//, "")
    .split(/[/.]/)
    .map((seg) => seg.replace(/^\{(.+)\}$/, "by-$1"))
    .flatMap((seg) => seg.split(/[-_]/));
  return route.method.toLowerCase() + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
}

function buildDocument() {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const route of API_CATALOG) {
    const item = (paths[route.path] ??= {});
    if (item[route.method.toLowerCase()]) throw new Error(`API catalog lists ${route.method} ${route.path} twice`);
    item[route.method.toLowerCase()] = operation(route);
  }
  const responses = Object.fromEntries(
    [
      ...Object.values(ERROR_RESPONSES),
      { name: "Error", description: "Any other error (422 unprocessable, 503 unavailable, 500 internal)." },
    ].map((r) => [
      r.name,
      { description: r.description, content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorEnvelope" } } } },
    ]),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "Switchyard API",
      version: pkg.version,
      description:
        "Deploy immutable container releases by digest, switch traffic, roll back. Authenticate with an API token (`Authorization: Bearer syt_…`, created at /settings/tokens) or a browser session.",
    },
    paths,
    components: {
      schemas: { ErrorEnvelope: inputSchema(ErrorEnvelope) },
      responses,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API token; its role is the lower of the token's and its owner's." },
        cookieAuth: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description: "The browser session; changes also need a same-origin Origin header.",
        },
      },
    },
    security: [{ bearerAuth: [] }, { cookieAuth: [] }],
  };
}

export type OpenApiDocument = ReturnType<typeof buildDocument>;

let cached: OpenApiDocument | undefined;

/** The OpenAPI 3.1 document of the API, built once from the catalog's zod schemas. */
export function openApiDocument(): OpenApiDocument {
  return (cached ??= buildDocument());
}
